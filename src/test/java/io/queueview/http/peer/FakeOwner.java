package io.queueview.http.peer;

import io.queueview.query.InstanceAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ServerSocketFactory;

/**
 * An owner on a real socket that answers each request as the test's script says (by its request line): these
 * bytes after a pause, then keep the connection or close it; or never (null). It can go away and come
 * back on the same port, as a restarted instance does, closing every connection it had.
 */
final class FakeOwner implements AutoCloseable {

    /** An answer: its bytes as sent, after a pause; close: the owner closes the connection after it. */
    record Reply(String bytes, long pauseMillis, boolean close) {
        static Reply of(String bytes) {
            return new Reply(bytes, 0, bytes.contains("Connection: close"));
        }
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    /** Each request's line, in arrival order. */
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    /** How many connections the client closed (the owner read the end of their stream between requests). */
    final AtomicInteger closedByClient = new AtomicInteger();
    private final Function<String, Reply> script;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final int port;
    private final ServerSocketFactory sockets;
    private volatile ServerSocket server;

    FakeOwner(Function<String, Reply> script) throws IOException {
        this(script, ServerSocketFactory.getDefault());
    }

    /** With these server sockets: TLS ones for an owner that serves HTTPS. */
    FakeOwner(Function<String, Reply> script, ServerSocketFactory sockets) throws IOException {
        this.script = script;
        this.sockets = sockets;
        server = sockets.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        listen(server);
    }

    /** Answers every request with the same bytes. */
    static FakeOwner answering(String bytes) throws IOException {
        return new FakeOwner(line -> Reply.of(bytes));
    }

    InstanceAddress address() {
        return new InstanceAddress("127.0.0.1", port);
    }

    /** Goes away, every connection closed, and listens again on the same port: a restart. */
    void restart() throws IOException {
        stop();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            ServerSocket again = sockets.createServerSocket();
            again.setReuseAddress(true);
            try {
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                server = again;
                listen(again);
                return;
            } catch (java.net.BindException stillBound) {
                // the old socket is closed by its accepting thread, a moment after close() returned
                again.close();
                if (System.nanoTime() > deadline) {
                    throw stillBound;
                }
                sleep(20);
            }
        }
    }

    /** Stops listening and closes every connection: the owner went away. */
    void stop() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private void listen(ServerSocket listening) {
        Thread accepting = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = listening.accept();
                    connections.incrementAndGet();
                    open.add(socket);
                    Thread serving = new Thread(() -> serve(socket), "fake-owner-connection");
                    serving.setDaemon(true);
                    serving.start();
                }
            } catch (IOException closed) {
                // stopped
            }
        }, "fake-owner");
        accepting.setDaemon(true);
        accepting.start();
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String line = readRequest(in);
                if (line == null) {
                    closedByClient.incrementAndGet();
                    return;
                }
                requestLines.add(line);
                requests.incrementAndGet();
                Reply reply = script.apply(line);
                if (reply == null) {
                    continue; // read, never answered
                }
                Thread.sleep(reply.pauseMillis());
                out.write(reply.bytes().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (reply.close()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the connection or the owner is gone
        } finally {
            open.remove(socket);
        }
    }

    /** Reads one request's head and its Content-Length body; its request line, or null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
