package io.queueview.http.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.query.InstanceAddress;
import io.queueview.testing.Await;
import io.queueview.testing.FreePort;
import io.queueview.testing.ManualTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The forwarding connections against a bare socket server that answers as told, or not at all. */
class PeerConnectionsTest {

    private static final Map<String, String> NO_HEADERS = Map.of();

    private final ManualTime time = new ManualTime(Instant.EPOCH);

    @Test
    void readsBodiesByLengthByChunksAndUpToTheCloseAndReusesAKeptAliveConnection() throws Exception {
        String[] answers = {
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\n{\"b\"\r\n3;x=y\r\n:2}\r\n0\r\n\r\n",
            "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nnot here",
        };
        try (Owner owner = new Owner(answers, false); PeerConnections peers = peers(Duration.ofSeconds(5))) {
            PeerConnections.Answer first = peers.send(owner.address(), "GET", "/x?y=1", NO_HEADERS, null);
            assertEquals(200, first.status());
            assertEquals("application/json", first.contentType());
            assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), first.body());

            PeerConnections.Answer second = peers.send(owner.address(), "PUT", "/x", Map.of("X-Auth-Token", "t"),
                    "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(503, second.status());
            assertEquals("1", second.retryAfter());
            assertEquals("{\"b\":2}", new String(second.body(), StandardCharsets.UTF_8));

            PeerConnections.Answer third = peers.send(owner.address(), "GET", "/z", NO_HEADERS, null);
            assertEquals(404, third.status());
            assertEquals("not here", new String(third.body(), StandardCharsets.UTF_8));
            assertEquals(1, owner.connections.get(), "the three calls went over one kept-alive connection");
        }
    }

    /** The owner's fault, answered 502 by the forwarder (an I/O failure of the call), never this server's 500. */
    @Test
    void aMalformedOrOversizedAnswerIsAnIoFailureOfTheCallNotAnErrorOfThisServer() throws Exception {
        String[] broken = {
            "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n",
        };
        for (String answer : broken) {
            try (Owner owner = new Owner(new String[] {answer}, false);
                 PeerConnections peers = peers(Duration.ofSeconds(5))) {
                IOException failed = assertThrows(IOException.class,
                        () -> peers.send(owner.address(), "GET", "/x", NO_HEADERS, null), answer);
                assertTrue(failed.getMessage().contains("127.0.0.1"), failed.getMessage());
            }
        }
    }

    @Test
    void anOwnerThatDoesNotAnswerInTimeIsATimeoutNotAHang() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Owner silent = new Owner(new String[0], true); PeerConnections peers = peers(Duration.ofMillis(300))) {
            Future<PeerConnections.Answer> call = caller.submit(
                    () -> peers.send(silent.address(), "GET", "/x", NO_HEADERS, null));
            Await.until(Duration.ofSeconds(5), "the owner has the call", () -> silent.requests.get() == 1);
            time.advance(Duration.ofMillis(300));
            assertThrows(TimeoutException.class, () -> call.get(200, TimeUnit.MILLISECONDS), "gave up before 300 ms");
            time.advance(Duration.ofMillis(100)); // the watchdog's next look
            ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            assertInstanceOf(SocketTimeoutException.class, failed.getCause());
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void nobodyListeningIsNotSent() throws Exception {
        try (PeerConnections peers = peers(Duration.ofSeconds(1))) {
            assertThrows(PeerConnections.NotSent.class, () -> peers.send(
                    new InstanceAddress("127.0.0.1", FreePort.find()), "PUT", "/x", NO_HEADERS, new byte[0]));
        }
    }

    private PeerConnections peers(Duration answerTimeout) {
        return new PeerConnections(Duration.ofSeconds(1), answerTimeout, null, time, time.scheduler());
    }

    /** Accepts connections and answers each request with the next canned answer (or never, when silent). */
    private static final class Owner implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        private final ServerSocket server;
        private final Thread thread;

        Owner(String[] answers, boolean silent) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                int next = 0;
                try {
                    while (true) {
                        Socket socket = server.accept();
                        connections.incrementAndGet();
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        while (next < answers.length || silent) {
                            if (!readRequest(in)) {
                                break;
                            }
                            requests.incrementAndGet();
                            if (silent) {
                                continue; // read, never answered
                            }
                            String answer = answers[next++];
                            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            if (answer.contains("Connection: close")) {
                                socket.close(); // the body ends with the connection
                                break;
                            }
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "canned-owner");
            thread.setDaemon(true);
            thread.start();
        }

        /** Reads one request's head and its Content-Length body; false at the end of the stream. */
        private static boolean readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                head.append((char) b);
            }
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    in.readNBytes(Integer.parseInt(line.substring(15).trim()));
                }
            }
            return true;
        }

        InstanceAddress address() {
            return new InstanceAddress("127.0.0.1", server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
