package io.queueview.http.peer;

import static io.queueview.http.peer.FakeOwner.OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.http.peer.FakeOwner.Reply;
import io.queueview.query.InstanceAddress;
import io.queueview.testing.Await;
import io.queueview.testing.FreePort;
import io.queueview.testing.ManualTime;
import io.queueview.testing.TestCertificates;
import io.queueview.time.Ticker;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder's connections against an owner on a real socket that answers as told, late, wrongly, or not at all;
 * on the system's time, but for the watchdog's test, which moves a manual time.
 */
class PeerConnectionsTest {

    private static final Map<String, String> NO_HEADERS = Map.of();
    private static final byte[] PUT_BODY = "{}".getBytes(StandardCharsets.UTF_8);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
        scheduler.shutdownNow();
    }

    @Test
    void readsBodiesByLengthByChunksAndUpToTheCloseAndReusesAKeptAliveConnection() throws Exception {
        String[] answers = {
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
            "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\n{\"b\"\r\n3;x=y\r\n:2}\r\n0\r\n\r\n",
            "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nnot here",
        };
        AtomicInteger next = new AtomicInteger();
        try (FakeOwner owner = new FakeOwner(line -> Reply.of(answers[next.getAndIncrement()]));
             PeerConnections peers = peers(Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            PeerClient.Answer first = peers.send(owner.address(), "GET", "/x?y=1", NO_HEADERS, null);
            assertEquals(200, first.status());
            assertEquals("application/json", first.contentType());
            assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), first.body());

            PeerClient.Answer second = peers.send(owner.address(), "PUT", "/x", Map.of("X-Auth-Token", "t"), PUT_BODY);
            assertEquals(503, second.status());
            assertEquals("1", second.retryAfter());
            assertEquals("{\"b\":2}", new String(second.body(), StandardCharsets.UTF_8));

            PeerClient.Answer third = peers.send(owner.address(), "GET", "/z", NO_HEADERS, null);
            assertEquals(404, third.status());
            assertEquals("not here", new String(third.body(), StandardCharsets.UTF_8));
            assertEquals(1, owner.connections.get(), "the three calls went over one kept-alive connection");
            assertEquals(List.of("GET /x?y=1 HTTP/1.1", "PUT /x HTTP/1.1", "GET /z HTTP/1.1"), owner.requestLines,
                    "the target as the caller sent it");
        }
    }

    /** A HEAD answer has no body, whatever its Content-Length says: nothing to wait for. */
    @Test
    void aHeadIsAnsweredAtOnce() throws Exception {
        try (FakeOwner owner = FakeOwner.answering("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n");
             PeerConnections peers = peers(Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            long started = System.nanoTime();
            PeerClient.Answer answer = peers.send(owner.address(), "HEAD", "/x", NO_HEADERS, null);
            assertEquals(200, answer.status());
            assertEquals(0, answer.body().length);
            assertTrue(System.nanoTime() - started < 2e9, "waited for a body a HEAD answer never has");
        }
    }

    /**
     * The owner closed the pooled connection (its restart, or its idle timeout): the next call, a write, goes over
     * a new connection and is answered, sent exactly once, instead of being written into the closed one and failing
     * as "may or may not have applied".
     */
    @Test
    void aConnectionTheOwnerClosedIsNotReusedAWriteAfterItIsSentOnceAndAnswered() throws Exception {
        try (FakeOwner owner = new FakeOwner(line -> new Reply(OK, 0, line.startsWith("GET")));
             PeerConnections peers = peers(Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            assertEquals(200, peers.send(owner.address(), "GET", "/x", NO_HEADERS, null).status());
            // the owner closed it without a word, as Jetty's idle timeout does; the pool still holds it
            Await.until(Duration.ofSeconds(5), "the owner closed its side", () -> owner.requests.get() == 1);
            Thread.sleep(400);
            assertEquals(200, peers.send(owner.address(), "PUT", "/x", NO_HEADERS, PUT_BODY).status());
            assertEquals(List.of("GET /x HTTP/1.1", "PUT /x HTTP/1.1"), owner.requestLines);
            assertEquals(2, owner.connections.get());
        }
    }

    @Test
    void aWriteAfterTheOwnerRestartedGoesOverANewConnectionOnce() throws Exception {
        try (FakeOwner owner = FakeOwner.answering(OK);
             PeerConnections peers = peers(Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            assertEquals(200, peers.send(owner.address(), "GET", "/x", NO_HEADERS, null).status());
            owner.restart();
            Thread.sleep(400); // a restart takes seconds
            assertEquals(200, peers.send(owner.address(), "PUT", "/x", NO_HEADERS, PUT_BODY).status());
            assertEquals(List.of("GET /x HTTP/1.1", "PUT /x HTTP/1.1"), owner.requestLines);
        }
    }

    /**
     * A call past its time fails as a timeout on its own thread only: the calls on other connections meanwhile,
     * and the next call, are answered. A call answered just before its time gives its connection back, and the
     * connection serves the next call after that time has passed (nothing closes it late).
     */
    @Test
    void aTimeoutFailsOnlyItsOwnCallAndNeverAConnectionBackInThePool() throws Exception {
        try (FakeOwner owner = new FakeOwner(line -> line.contains("/slow") ? new Reply(OK, 4_000, false)
                : line.contains("/almost") ? new Reply(OK, 500, false) : Reply.of(OK));
             PeerConnections peers = peers(Duration.ofMillis(1_500), Duration.ofSeconds(10))) {
            Future<PeerClient.Answer> slow = callers.submit(
                    () -> peers.send(owner.address(), "GET", "/slow", NO_HEADERS, null));
            List<Future<PeerClient.Answer>> others = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                others.add(callers.submit(() -> {
                    PeerClient.Answer last = null;
                    for (int call = 0; call < 50; call++) {
                        last = peers.send(owner.address(), "GET", "/fast", NO_HEADERS, null);
                    }
                    return last;
                }));
            }
            ExecutionException failed = assertThrows(ExecutionException.class, () -> slow.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SocketTimeoutException.class, failed.getCause(), failed.getCause().toString());
            for (Future<PeerClient.Answer> other : others) {
                assertEquals(200, other.get(5, TimeUnit.SECONDS).status());
            }
            assertEquals(200, peers.send(owner.address(), "GET", "/next", NO_HEADERS, null).status());

            int connections = owner.connections.get();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, peers.send(owner.address(), "GET", "/almost", NO_HEADERS, null).status());
                Thread.sleep(1_200); // past that call's time, its connection idle in the pool
                assertEquals(200, peers.send(owner.address(), "GET", "/after", NO_HEADERS, null).status());
            }
            assertEquals(connections, owner.connections.get(), "the pooled connections were used again");
        }
    }

    /** The owner's fault, answered 502 by the forwarder (an I/O failure of the call), never this server's 500. */
    @Test
    void aMalformedOrOversizedAnswerIsAnIoFailureOfTheCall() throws Exception {
        String[] broken = {
            "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTQ/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n",
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + "a".repeat(PeerConnections.MAX_ANSWER_BYTES + 1),
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "1000000\r\n" + "b".repeat(1 << 24) + "\r\n"
                    + "1\r\nc\r\n0\r\n\r\n",
        };
        for (String answer : broken) {
            String shown = answer.substring(0, Math.min(60, answer.length()));
            try (FakeOwner owner = FakeOwner.answering(answer);
                 PeerConnections peers = peers(Duration.ofSeconds(5), Duration.ofSeconds(10))) {
                IOException failed = assertThrows(IOException.class,
                        () -> peers.send(owner.address(), "GET", "/x", NO_HEADERS, null), shown);
                assertTrue(failed.getMessage().contains("127.0.0.1"), failed.getMessage());
            }
        }
    }

    /** Connections idle longer than the limit are closed; so are those to an owner that went away. */
    @Test
    void idleConnectionsAreClosedThoseToAGoneOwnerToo() throws Exception {
        try (FakeOwner staying = FakeOwner.answering(OK); FakeOwner leaving = FakeOwner.answering(OK);
             PeerConnections peers = peers(Duration.ofSeconds(5), Duration.ofMillis(300))) {
            peers.send(staying.address(), "GET", "/x", NO_HEADERS, null);
            peers.send(leaving.address(), "GET", "/x", NO_HEADERS, null);
            assertEquals(2, peers.idleConnections());
            leaving.stop();
            Await.until(Duration.ofSeconds(5), "both pruned", () -> peers.idleConnections() == 0);
            Await.until(Duration.ofSeconds(5), "the staying owner saw its connection closed by the client",
                    () -> staying.closedByClient.get() == 1);
        }
    }

    /** The watchdog ends a call past its time, on the time it is given (the test moves it). */
    @Test
    void anOwnerThatDoesNotAnswerInTimeIsATimeoutNotAHang() throws Exception {
        ManualTime time = new ManualTime(Instant.EPOCH);
        try (FakeOwner silent = new FakeOwner(line -> null);
             PeerConnections peers = new PeerConnections(Duration.ofSeconds(1), Duration.ofMillis(300), null, time,
                     time.scheduler())) {
            Future<PeerClient.Answer> call = callers.submit(
                    () -> peers.send(silent.address(), "GET", "/x", NO_HEADERS, null));
            Await.until(Duration.ofSeconds(5), "the owner has the call", () -> silent.requests.get() == 1);
            time.advance(Duration.ofMillis(300));
            assertThrows(TimeoutException.class, () -> call.get(200, TimeUnit.MILLISECONDS), "gave up before 300 ms");
            time.advance(Duration.ofMillis(100)); // the watchdog's next look
            ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
            assertInstanceOf(SocketTimeoutException.class, failed.getCause());
        }
    }

    /**
     * Over TLS the check of an idle connection (a read that times out after 1 ms) leaves the connection usable:
     * the next call goes over it, not over a new one or into a broken one.
     */
    @Test
    void overTlsTheCheckOfAnIdleConnectionLeavesItUsable(@TempDir Path folder) throws Exception {
        TestCertificates certificates = TestCertificates.createIn(folder);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.keystore("owner"))) {
            keys.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, TestCertificates.PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers.getKeyManagers(), null, null);
        try (FakeOwner owner = new FakeOwner(line -> Reply.of(OK), server.getServerSocketFactory());
             PeerConnections peers = new PeerConnections(Duration.ofSeconds(1), Duration.ofSeconds(5),
                     PeerTls.sockets(certificates.caPem()), Duration.ofSeconds(10), Ticker.SYSTEM, scheduler)) {
            for (int call = 0; call < 3; call++) {
                assertEquals(200, peers.send(owner.address(), "GET", "/x", NO_HEADERS, null).status());
                Thread.sleep(400); // idle past the check's threshold
            }
            assertEquals(1, owner.connections.get(), "checked twice, used three times");
        }
    }

    @Test
    void nobodyListeningIsNotSent() throws Exception {
        try (PeerConnections peers = peers(Duration.ofSeconds(1), Duration.ofSeconds(10))) {
            assertThrows(PeerClient.NotSent.class, () -> peers.send(
                    new InstanceAddress("127.0.0.1", FreePort.find()), "PUT", "/x", NO_HEADERS, new byte[0]));
        }
    }

    private PeerConnections peers(Duration answerTimeout, Duration mostIdle) {
        return new PeerConnections(Duration.ofSeconds(1), answerTimeout, null, mostIdle, Ticker.SYSTEM, scheduler);
    }
}
