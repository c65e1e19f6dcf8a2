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
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The forwarder's hand-written client until issue 20, kept here (not in the service) as the baseline that
 * {@code bench.PeerClientCost} measures Apache HttpClient 5 ({@link PooledPeerClient}) against. It does not check
 * a pooled connection before reuse, and its watchdog can close a connection already back in the pool.
 * Keep-alive HTTP/1.1 connections to the other instances of queueview, for the calls this one forwards: the
 * request is written and its answer read on the calling server thread, over a pooled connection. Measured on the
 * benchmark's first pages: the forwarder spent 230-315 µs of CPU per call with Jetty's HTTP client (a thread
 * hand-off each way, futex wake-ups, a scheduler) and about 100 µs with this, beside 50-75 µs for the owner to
 * answer.
 * It speaks just what a queueview instance answers: a status line, headers, and a body by Content-Length,
 * chunks, or up to the close.
 */
final class PeerConnections implements PeerClient {

    /** Well under the owner's idle timeout (Jetty's 30 s): a pooled connection is never closed under a call. */
    /** The most an owner's answer may hold, and one line of its head: beyond, it is not an answer of ours. */
    private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    private static final int MAX_LINE_CHARS = 16 * 1024;
    private static final long MOST_IDLE_NANOS = Duration.ofSeconds(10).toNanos();
    private static final int MOST_IDLE_PER_OWNER = 64;

    /** How often the watchdog looks for calls past their time. */
    private static final long WATCH_INTERVAL_MS = 100;

    private final Map<InstanceAddress, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final Set<Connection> inFlight = ConcurrentHashMap.newKeySet();
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
        this.connectTimeoutMs = Math.toIntExact(connectTimeout.toMillis());
        this.tls = tls;
        this.answerTimeoutNanos = answerTimeout.toNanos();
        this.time = time;
        watchdog = scheduler.scheduleWithFixedDelay(this::closeOverdue, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public Answer send(InstanceAddress owner, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        Connection connection = pooled(owner);
        if (connection == null) {
            connection = new Connection(owner, connectTimeoutMs, tls);
        }
        connection.deadline = time.nanoTime() + answerTimeoutNanos;
        inFlight.add(connection);
        try {
            connection.write(method, target, headers, body);
            Answer answer = connection.read("HEAD".equals(method));
            inFlight.remove(connection);
            if (connection.reusable) {
                giveBack(owner, connection);
            } else {
                connection.close();
            }
            return answer;
        } catch (IOException | RuntimeException e) {
            inFlight.remove(connection);
            connection.close();
            if (connection.overdue) {
                throw new SocketTimeoutException("no answer from " + owner + " within "
                        + Duration.ofNanos(answerTimeoutNanos).toMillis() + " ms");
            }
            throw e;
        }
    }

    private void closeOverdue() {
        long now = time.nanoTime();
        for (Connection connection : inFlight) {
            if (now - connection.deadline > 0) {
                connection.overdue = true;
                connection.close(); // the blocked read throws
            }
        }
    }

    private Connection pooled(InstanceAddress owner) {
        Deque<Connection> connections = idle.get(owner);
        Connection connection;
        while (connections != null && (connection = connections.pollFirst()) != null) {
            if (time.nanoTime() - connection.idleSince < MOST_IDLE_NANOS) {
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
        private boolean reusable;
        private long idleSince;
        private volatile long deadline;
        private volatile boolean overdue;

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

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection nobody will use again: nothing to do about a failure
            }
        }
    }
}
