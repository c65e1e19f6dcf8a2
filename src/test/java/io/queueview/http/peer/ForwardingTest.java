package io.queueview.http.peer;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queueview.query.InstanceAddress;
import io.queueview.query.LocalStores;
import io.queueview.query.OwnedElsewhere;
import io.queueview.queue.QueueId;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.Await;
import io.queueview.testing.FreePort;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.RecordedMetrics;
import io.queueview.testing.StoresOwnedElsewhere;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A call that reaches an instance which does not own the queue is answered by the owner: two servers in this JVM,
 * the owner over the real topology's stores, the other knowing only who the owner is.
 */
class ForwardingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/v1.0/p/data/queuing-jobs";
    private static final String MOVE = "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}";

    @RegisterExtension
    final ApiOnDriver owner = new ApiOnDriver();
    private ProjectorDriver driver;
    private final RecordedMetrics metrics = new RecordedMetrics();

    @BeforeEach
    void fill() {
        driver = owner.driver();
        for (int id = 1; id <= 12; id++) {
            driver.send(enqueued("p", "PROCESSOR", id).with("priority", id % 3).with("cluster_type", "CCE")
                    .with("cluster_id", "c" + id % 2));
        }
    }

    @Test
    void aNonOwnerAnswersListsPositionsMovesAndBatchesExactlyAsTheOwnerDoesAndSaysWhoAnswered() throws IOException {
        try (ApiFixture other = pointingAt(owner.port(), "other")) {
            for (String call : new String[] {BASE + "?queue_type=PROCESSOR&cluster_type=CCE&cluster_id=c1&limit=3&offset=1",
                BASE + "?queue_type=PROCESSOR", BASE + "/5?queue_type=PROCESSOR", BASE + "/99?queue_type=PROCESSOR",
                BASE + "?queue_type=NOPE"}) {
                HttpResponse<String> direct = owner.http().get(call, OPS);
                HttpResponse<String> forwarded = other.http().get(call, OPS);
                assertEquals(direct.statusCode(), forwarded.statusCode(), call);
                JsonNode answer = JSON.readTree(forwarded.body());
                if (answer.has("meta_info")) {
                    assertEquals("127.0.0.1:" + owner.port(), answer.at("/meta_info/answered_by").asText(), call);
                }
                assertEquals(withoutAnsweredBy(direct.body()), withoutAnsweredBy(forwarded.body()), call);
            }

            HttpResponse<String> moved = other.http().send("PUT", BASE + "/7", OPS, "application/json", MOVE);
            assertEquals(200, moved.statusCode(), moved.body());
            assertEquals(1, JSON.readTree(moved.body()).at("/payload/position").asLong());
            assertEquals(7, driver.ids(new QueueId("p", io.queueview.queue.QueueType.PROCESSOR)).get(0));

            HttpResponse<String> batch = other.http().send("PUT", BASE + "/batch-update", OPS, "application/json",
                    "{\"queue_type\":\"PROCESSOR\",\"ids\":[2,3],\"priority\":50}");
            assertEquals(200, batch.statusCode(), batch.body());
            assertEquals(50, driver.queue(new QueueId("p", io.queueview.queue.QueueType.PROCESSOR)).get(0).priority());
            assertEquals(Collections.nCopies(6, "answered"), metrics.forwardOutcomes,
                    "4 reads (queue_type=NOPE is refused before a queue is looked up), a move, a batch");
        }
    }

    /** HEAD is GET without a body: the owner's answer has none to wait for, and like a read it may be sent again. */
    @Test
    void aHeadThroughANonOwnerIsAnsweredAsTheOwnerAnswersIt() throws IOException {
        try (ApiFixture other = pointingAt(owner.port(), "other")) {
            for (String call : new String[] {BASE + "?queue_type=PROCESSOR", BASE + "/5?queue_type=PROCESSOR",
                BASE + "/99?queue_type=PROCESSOR"}) {
                long started = System.nanoTime();
                HttpResponse<String> direct = owner.http().send("HEAD", call, OPS, null, null);
                HttpResponse<String> forwarded = other.http().send("HEAD", call, OPS, null, null);
                assertEquals(direct.statusCode(), forwarded.statusCode(), call);
                assertEquals("", forwarded.body(), call);
                assertTrue(System.nanoTime() - started < 5e9, call + " took " + (System.nanoTime() - started) / 1e9
                        + " s: waiting for a body a HEAD answer never has");
            }
            assertEquals(Collections.nCopies(3, "answered"), metrics.forwardOutcomes);
        }
    }

    @Test
    void forwardingKeepsAuthorizationTheOwnerRefusesWhatItWouldRefuseDirectly() throws IOException {
        try (ApiFixture other = pointingAt(owner.port(), "other")) {
            for (String token : new String[] {null, "unknown-token", READER}) {
                HttpResponse<String> direct = owner.http().get("/v1.0/q/data/queuing-jobs?queue_type=PROCESSOR", token);
                HttpResponse<String> forwarded = other.http().get("/v1.0/q/data/queuing-jobs?queue_type=PROCESSOR", token);
                assertEquals(direct.statusCode(), forwarded.statusCode());
                assertEquals(direct.body(), forwarded.body());
            }
            HttpResponse<String> readerWrites = other.http().send("PUT", BASE + "/7", READER, "application/json", MOVE);
            assertEquals(403, readerWrites.statusCode(), readerWrites.body());
        }
    }

    @Test
    void aCallIsForwardedOnceAndASecondMissIsA503ToRetry() throws IOException {
        AtomicInteger port = new AtomicInteger();
        try (ApiFixture confused = new ApiFixture(ownedBy(port::get), command -> {
            throw new OwnedElsewhere(new InstanceAddress("127.0.0.1", port.get()), "owned elsewhere");
        }, Files.createDirectories(owner.dataDir().resolve("confused")))) {
            port.set(confused.port()); // it names itself as the owner: the forwarded call arrives here again
            HttpResponse<String> answer = confused.http().get(BASE + "?queue_type=PROCESSOR", OPS);
            assertEquals(503, answer.statusCode(), answer.body());
            assertEquals("octopus.400103", JSON.readTree(answer.body()).get("error_code").asText());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void anOwnerThatCannotBeReachedIsA502NamingIt() throws IOException {
        int nobody = FreePort.find();
        try (ApiFixture other = pointingAt(nobody, "other")) {
            HttpResponse<String> answer = other.http().get(BASE + "?queue_type=PROCESSOR", OPS);
            assertEquals(502, answer.statusCode(), answer.body());
            JsonNode error = JSON.readTree(answer.body());
            assertEquals("octopus.400102", error.get("error_code").asText());
            assertTrue(error.get("error_msg").asText().contains("127.0.0.1:" + nobody), answer.body());
            assertEquals(List.of("unreachable"), metrics.forwardOutcomes);
        }
    }

    /**
     * The owner restarted behind the forwarder's pooled connection: the write through the forwarder is sent once
     * over a new connection and answered, not a 502 "may or may not have applied".
     */
    @Test
    void aWriteAfterTheOwnerRestartedIsAnsweredNotA502() throws Exception {
        String list = asFromTheOwner(owner.http().get(BASE + "?queue_type=PROCESSOR", OPS));
        String move = asFromTheOwner(owner.http().send("PUT", BASE + "/7", OPS, "application/json", MOVE));
        try (FakeOwner fake = new FakeOwner(line -> FakeOwner.Reply.of(line.startsWith("PUT") ? move : list));
             ApiFixture other = pointingAt(fake.address().port(), "other")) {
            assertEquals(200, other.http().get(BASE + "?queue_type=PROCESSOR", OPS).statusCode());
            fake.restart();
            other.time().advance(Duration.ofSeconds(2)); // a restart takes seconds: the pooled connection is checked
            HttpResponse<String> moved = other.http().send("PUT", BASE + "/7", OPS, "application/json", MOVE);
            assertEquals(200, moved.statusCode(), moved.body());
            assertEquals(List.of("GET", "PUT"), fake.requestLines.stream().map(line -> line.split(" ")[0]).toList());
        }
    }

    /** The owner's fault, not the forwarder's: 502, never a 500. */
    @Test
    void aMalformedAnswerOfTheOwnerIsA502() throws Exception {
        for (String malformed : new String[] {"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
            try (FakeOwner fake = FakeOwner.answering(malformed);
                 ApiFixture other = pointingAt(fake.address().port(), "other-" + fake.address().port())) {
                HttpResponse<String> answer = other.http().get(BASE + "?queue_type=PROCESSOR", OPS);
                assertEquals(502, answer.statusCode(), malformed + " -> " + answer.body());
            }
        }
    }

    /**
     * A read the owner did not answer in time is not sent again: the server thread waits out one timeout (the
     * fixture's 10 s, on the time the test moves), not three.
     */
    @Test
    void aReadTheOwnerDidNotAnswerInTimeIsNotSentAgain() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (FakeOwner silent = new FakeOwner(line -> null);
             ApiFixture other = pointingAt(silent.address().port(), "other")) {
            Future<HttpResponse<String>> call = caller.submit(() -> other.http().get(BASE + "?queue_type=PROCESSOR",
                    OPS));
            Await.until(Duration.ofSeconds(5), "the owner has the call", () -> silent.requests.get() == 1);
            other.time().advance(Duration.ofSeconds(10));
            other.time().advance(Duration.ofMillis(100)); // the watchdog's next look
            HttpResponse<String> answer = call.get(5, TimeUnit.SECONDS); // sent again, it would wait for time to move
            assertEquals(502, answer.statusCode(), answer.body());
            Thread.sleep(500); // time for a retry, 100 ms after the failure, to reach the owner
            assertEquals(1, silent.requests.get(), "sent once");
        } finally {
            caller.shutdownNow();
        }
    }

    /** A read whose connection was refused never reached the owner: sent again shortly, and answered. */
    @Test
    void aReadWhoseConnectionWasRefusedIsSentAgainShortly() throws Exception {
        String list = asFromTheOwner(owner.http().get(BASE + "?queue_type=PROCESSOR", OPS));
        try (FakeOwner starting = FakeOwner.answering(list);
             ApiFixture other = pointingAt(starting.address().port(), "other")) {
            starting.stop(); // refuses connections until it listens again, 150 ms later
            Thread back = new Thread(() -> {
                try {
                    Thread.sleep(150);
                    starting.restart();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            back.start();
            HttpResponse<String> answer = other.http().get(BASE + "?queue_type=PROCESSOR", OPS);
            back.join();
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(1, starting.requests.get());
            assertEquals(List.of("answered"), metrics.forwardOutcomes);
        }
    }

    /** The real owner's answer as bytes on the wire, for a fake owner to send (so it is one the contract allows). */
    private static String asFromTheOwner(HttpResponse<String> answer) {
        assertEquals(200, answer.statusCode(), answer.body());
        byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A server that owns no queue: every call names the owner on this port. */
    private ApiFixture pointingAt(int ownerPort, String name) throws IOException {
        InstanceAddress address = new InstanceAddress("127.0.0.1", ownerPort);
        return new ApiFixture(ownedBy(() -> ownerPort), command -> {
            throw new OwnedElsewhere(address, "queue " + command.queue() + " is owned by instance " + address);
        }, Files.createDirectories(owner.dataDir().resolve(name)), null, metrics, false);
    }

    private static LocalStores ownedBy(java.util.function.IntSupplier port) {
        return new StoresOwnedElsewhere(() -> new InstanceAddress("127.0.0.1", port.getAsInt()));
    }

    private static JsonNode withoutAnsweredBy(String body) throws IOException {
        JsonNode json = JSON.readTree(body);
        if (json.get("meta_info") instanceof ObjectNode meta) {
            meta.remove("answered_by");
        }
        return json;
    }
}
