package io.queueview.http.peer;

import io.queueview.query.InstanceAddress;
import io.queueview.time.Ticker;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Keep-alive HTTP/1.1 connections to the other instances of queueview, for the calls this one forwards: the
 * request is written and its answer read on the calling server thread, over a pooled connection. Measured on the
 * benchmark's first pages: the forwarder spent 230-315 µs of CPU per call with Jetty's HTTP client (a thread
 * hand-off each way, futex wake-ups, a scheduler) and about 100 µs with this, beside 50-75 µs for the owner to
 * answer.
 * Measured against Apache HttpClient 5 (issue 20, docs/benchmarks.md): the forwarder spent about 1.5 times
 * the CPU per forwarded call with it. It speaks just what a queueview instance answers: a status line, headers,
 * and a body by Content-Length, chunks, or up to the close. A pooled connection idle for a while is checked
 * before it carries a call; only the call that holds a connection, or the watchdog while that call still holds
 * it, may close it; idle connections are closed after a while, those to an owner that went away too.
 */
final class PeerConnections implements PeerClient {

    /** The most an owner's answer may hold, and one line of its head: beyond, it is not an answer of ours. */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    private static final int MAX_LINE_CHARS = 16 * 1024;
    /** Well under the owner's idle timeout (Jetty's 30 s): a pooled connection is never closed under a call. */
    static final Duration MOST_IDLE = Duration.ofSeconds(10);
    /**
     * A connection idle this long is checked (a 1 ms read) before it carries a call: under load connections are
     * busy and skip it; one left idle across an owner's restart or shutdown is found closed, and replaced.
     */
    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofMillis(200).toNanos();
    private static final int MOST_IDLE_PER_OWNER = 64;

    /** How often the watchdog looks for calls past their time, and for idle connections to close. */
    private static final long WATCH_INTERVAL_MS = 100;

    private final Map<InstanceAddress, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final Set<Connection> inFlight = ConcurrentHashMap.newKeySet();
    private final long mostIdleNanos;
    private final int connectTimeoutMs;
    /** TLS to the peers (they serve HTTPS too), or null for plain HTTP. */
    private final SSLSocketFactory tls;
    private final long answerTimeoutNanos;
    private final Ticker time;
    private final ScheduledFuture<?> watchdog;

    /**
     * @param answerTimeout how long an owner may take to answer. Reads block without a socket timeout (with one,
     *                      each read is a non-blocking read, a poll and a read again: 98-105 against 127-152 µs of
     *                      CPU per forwarded call, measured); a watchdog closes the connection of a call past its
     *                      time.
     * @param time          what deadlines and idle connections are measured on
     * @param scheduler     runs the watchdog
     */
    PeerConnections(Duration connectTimeout, Duration answerTimeout, SSLSocketFactory tls, Ticker time,
                    ScheduledExecutorService scheduler) {
        this(connectTimeout, answerTimeout, tls, MOST_IDLE, time, scheduler);
    }

    /** @param mostIdle how long a connection may stay unused in the pool */
    PeerConnections(Duration connectTimeout, Duration answerTimeout, SSLSocketFactory tls, Duration mostIdle,
                    Ticker time, ScheduledExecutorService scheduler) {
        this.mostIdleNanos = mostIdle.toNanos();
        this.connectTimeoutMs = Math.toIntExact(connectTimeout.toMillis());
        this.tls = tls;
        this.answerTimeoutNanos = answerTimeout.toNanos();
        this.time = time;
        watchdog = scheduler.scheduleWithFixedDelay(() -> {
            closeOverdue();
            closeIdle();
        }, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Answer send(InstanceAddress owner, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        Connection connection = pooled(owner);
        if (connection == null) {
            connection = new Connection(owner, connectTimeoutMs, tls);
        }
        long deadline = time.nanoTime() + answerTimeoutNanos;
        connection.deadline.set(deadline);
        inFlight.add(connection);
        try {
            connection.write(method, target, headers, body);
            Answer answer = connection.read("HEAD".equals(method));
            inFlight.remove(connection);
            // the watchdog may have taken it past its time meanwhile: then it is closed, never pooled
            if (connection.reusable && connection.deadline.compareAndSet(deadline, Connection.IDLE)) {
                giveBack(owner, connection);
            } else {
                connection.close();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            inFlight.remove(connection);
            connection.close();
            if (connection.deadline.get() == Connection.OVERDUE) {
                throw new SocketTimeoutException("no answer from " + owner + " within "
                        + Duration.ofNanos(answerTimeoutNanos).toMillis() + " ms");
            }
            throw e;
        }
    }

    /**
     * Closes the connection of each call past its time, if that call still holds it: a compare-and-set on the
     * call's own deadline decides between this and the call's end, so a connection already given back, or taken
     * by the next call, is never closed here.
     */
    private void closeOverdue() {
        long now = time.nanoTime();
        for (Connection connection : inFlight) {
            long deadline = connection.deadline.get();
            if (deadline != Connection.IDLE && deadline != Connection.OVERDUE && now - deadline > 0
                    && connection.deadline.compareAndSet(deadline, Connection.OVERDUE)) {
                connection.close(); // the blocked read throws
            }
        }
    }

    /** Closes the connections idle longer than the limit, whatever their owner: those of a gone owner too. */
    private void closeIdle() {
        long now = time.nanoTime();
        for (Deque<Connection> connections : idle.values()) {
            for (Connection connection : connections) {
                if (now - connection.idleSince >= mostIdleNanos && connections.remove(connection)) {
                    connection.close();
                }
            }
        }
    }

    /** How many connections are pooled, idle, now (for tests). */
    int idleConnections() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    private Connection pooled(InstanceAddress owner) {
        Deque<Connection> connections = idle.get(owner);
        Connection connection;
        while (connections != null && (connection = connections.pollFirst()) != null) {
            long idleFor = time.nanoTime() - connection.idleSince;
            if (idleFor < mostIdleNanos && (idleFor < CHECK_AFTER_IDLE_NANOS || connection.open())) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void giveBack(InstanceAddress owner, Connection connection) {
        Deque<Connection> connections = idle.computeIfAbsent(owner, o -> new ConcurrentLinkedDeque<>());
        if (connections.size() >= MOST_IDLE_PER_OWNER) {
            connection.close();
            return;
        }
        connection.idleSince = time.nanoTime();
        connections.offerFirst(connection); // the most recently used first: the fewest connections stay warm
    }

    @Override
    public void close() {
        watchdog.cancel(false);
        idle.values().forEach(connections -> connections.forEach(Connection::close));
        idle.clear();
    }

    /** One keep-alive connection to an owner. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String host;
        static final long IDLE = Long.MIN_VALUE;
        static final long OVERDUE = Long.MIN_VALUE + 1;

        private boolean reusable;
        private volatile long idleSince;
        /** The current call's deadline; IDLE between calls; OVERDUE once the watchdog took it: closed, never pooled. */
        private final AtomicLong deadline = new AtomicLong(IDLE);

        /** A connection to the owner; with tls, its certificate and host name verified before any byte of the call. */
        Connection(InstanceAddress owner, int connectTimeoutMs, SSLSocketFactory tls) throws IOException {
            Socket plain = new Socket();
            Socket opened = plain;
            try {
                plain.setTcpNoDelay(true);
                plain.connect(new InetSocketAddress(owner.host(), owner.port()), connectTimeoutMs);
                if (tls != null) {
                    SSLSocket secure = (SSLSocket) tls.createSocket(plain, owner.host(), owner.port(), true);
                    opened = secure;
                    secure.setSSLParameters(PeerTls.verifyingHostName(secure.getSSLParameters()));
                    secure.setSoTimeout(connectTimeoutMs);
                    secure.startHandshake();
                    secure.setSoTimeout(0);
                }
                in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
                out = opened.getOutputStream();
            } catch (IOException e) {
                opened.close();
                throw new NotSent("could not connect to " + owner + ": " + e.getMessage(), e);
            }
            socket = opened;
            host = owner.toString();
        }

        void write(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target)
                    .append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
            if (body == null || body.length == 0) {
                out.write(bytes);
            } else {
                byte[] request = new byte[bytes.length + body.length];
                System.arraycopy(bytes, 0, request, 0, bytes.length);
                System.arraycopy(body, 0, request, bytes.length, body.length);
                out.write(request);
            }
            out.flush();
        }

        /** The answer; to a HEAD (or a 204 or 304) without a body, whatever its Content-Length says. */
        Answer read(boolean head) throws IOException {
            try {
                return parse(head);
            } catch (NumberFormatException | IndexOutOfBoundsException | ArithmeticException malformed) {
                // the owner's fault, not this server's: an I/O failure of the call, answered 502
                throw new IOException("a malformed answer from " + host + ": " + malformed.getMessage(), malformed);
            }
        }

        private Answer parse(boolean head) throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer from " + host + ": " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            String contentType = null;
            String retryAfter = null;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "content-type" -> contentType = value;
                    case "retry-after" -> retryAfter = value;
                    default -> { }
                }
            }
            byte[] body;
            if (head || code == 204 || code == 304) {
                body = new byte[0];
            } else if (chunked) {
                body = chunks();
            } else if (length >= 0) {
                body = in.readNBytes(Math.toIntExact(bounded(length)));
                if (body.length < length) {
                    throw new EOFException("the answer from " + host + " ended early");
                }
            } else {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
                bounded(body.length);
                close = true;
            }
            reusable = !close;
            return new Answer(code, contentType, retryAfter, body);
        }

        private byte[] chunks() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                byte[] chunk = in.readNBytes(size);
                if (chunk.length < size) {
                    throw new EOFException("a chunk from " + host + " ended early");
                }
                body.write(chunk);
                bounded(body.size());
                line(); // the CRLF after the chunk
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none are passed on
            }
            return body.toByteArray();
        }

        /** An answer's size, if the owner's answers may be that large (a page of 200 entries is about 100 KiB). */
        private long bounded(long size) throws IOException {
            if (size > MAX_ANSWER_BYTES) {
                throw new IOException("the answer from " + host + " is over " + MAX_ANSWER_BYTES + " bytes");
            }
            return size;
        }

        private int chunkSize() throws IOException {
            String line = line();
            int extension = line.indexOf(';');
            return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
        }

        /** One line of the head, without its CRLF; ISO-8859-1 as HTTP heads are. */
        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("the connection to " + host + " closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
                if (line.length() > MAX_LINE_CHARS) {
                    throw new IOException("a line of the answer from " + host + " is over " + MAX_LINE_CHARS
                            + " characters");
                }
            }
            return line.toString();
        }

        /**
         * Whether the owner has not closed this idle connection: a read of at most 1 ms finds nothing to read (open),
         * or the end of the stream or an error (closed; an idle connection has no answer pending).
         */
        boolean open() {
            try {
                if (in.available() > 0) {
                    return false; // bytes nobody asked for: not a connection to trust
                }
                socket.setSoTimeout(1);
                try {
                    in.read();
                    return false; // the end of the stream: closed; a byte: unasked for
                } catch (SocketTimeoutException nothingToRead) {
                    return true;
                } finally {
                    socket.setSoTimeout(0);
                }
            } catch (IOException e) {
                return false;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection nobody will use again: nothing to do about a failure
            }
        }
    }
}
