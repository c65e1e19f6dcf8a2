package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.query.InstanceAddress;
import io.queueview.query.LocalStores;
import io.queueview.query.OwnedElsewhere;
import io.queueview.query.QueueCopy;
import io.queueview.query.QueuePlacement;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.FreePort;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.RecordedMetrics;
import io.queueview.testing.StoresOwnedElsewhere;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a queue's owner cannot be reached, reads are answered from a standby copy of its partition — here, or at
 * the instance that holds one — said to be stale and how far behind; writes are not. The copy is built from the
 * projector's stores as the service builds it from a standby's; the owner is a port nobody listens on.
 */
class StandbyReadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/v1.0/p/data/queuing-jobs";
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    /** The projector whose stores the copies are built from; its own server answers as the owner would. */
    @RegisterExtension
    final ApiOnDriver live = new ApiOnDriver();
    private ProjectorDriver driver;
    private final RecordedMetrics metrics = new RecordedMetrics();
    private InstanceAddress deadOwner;
    private final AtomicLong copyLag = new AtomicLong(3);

    @BeforeEach
    void fill() throws IOException {
        deadOwner = new InstanceAddress("127.0.0.1", FreePort.find());
        driver = live.driver();
        for (int id = 1; id <= 12; id++) {
            driver.send(enqueued("p", "PROCESSOR", id).with("priority", id % 3).with("cluster_type", "CCE")
                    .with("cluster_id", "c" + id % 2));
        }
    }

    @Test
    void aReadWhoseOwnerCannotBeReachedIsAnsweredFromTheStandbyHereSaidToBeStaleWithItsLag() throws IOException {
        try (ApiFixture standby = instance("standby", true, List.of())) {
            for (String call : List.of(BASE + "?queue_type=PROCESSOR&cluster_type=CCE&cluster_id=c1&limit=3&offset=1",
                    BASE + "?queue_type=PROCESSOR", BASE + "/5?queue_type=PROCESSOR")) {
                JsonNode owner = JSON.readTree(live.http().get(call, OPS).body());
                HttpResponse<String> answer = standby.http().get(call, OPS);
                assertEquals(200, answer.statusCode(), call + ": " + answer.body());
                JsonNode fromCopy = JSON.readTree(answer.body());
                assertEquals(owner.get("payload"), fromCopy.get("payload"), call);
                assertFalse(owner.at("/meta_info/view/stale").asBoolean(true), "the owner's own view is not stale");
                assertTrue(fromCopy.at("/meta_info/view/stale").asBoolean(), call + ": " + answer.body());
                assertEquals(3, fromCopy.at("/meta_info/view/lag").asLong(), call);
            }
            HttpResponse<String> head = standby.http().send("HEAD", BASE + "/5?queue_type=PROCESSOR", OPS, null, null);
            assertEquals(200, head.statusCode());
            assertEquals(404, standby.http().get(BASE + "/99?queue_type=PROCESSOR", OPS).statusCode());
            assertEquals(List.of("unreachable"), metrics.forwardOutcomes,
                    "the owner is tried once; until it has been down a while, reads go straight to the copy");
        }
    }

    /**
     * An owner that takes connections and never answers (a stopped process, a partition that drops replies): the read
     * waits 2 s of the server's time for it, not the 10 s a forwarded write may take, then the copy answers.
     */
    @Test
    void aReadWhoseOwnerIsSilentIsAnsweredFromTheStandbyAfterTwoSecondsNotTheWritesWait() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            deadOwner = new InstanceAddress("127.0.0.1", silent.getLocalPort());
            try (ApiFixture standby = instance("standby", true, List.of())) {
                CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(
                        () -> standby.http().get(BASE + "?queue_type=PROCESSOR", OPS));
                Thread.sleep(500); // the call reaches the silent owner
                standby.time().advance(Duration.ofMillis(1_500));
                assertThrows(TimeoutException.class, () -> answer.get(300, TimeUnit.MILLISECONDS),
                        "gave up on the owner before 2 s");
                standby.time().advance(Duration.ofMillis(700)); // past 2 s, and the watchdog's next look
                HttpResponse<String> page = answer.get(10, TimeUnit.SECONDS);
                assertEquals(200, page.statusCode(), page.body());
                assertTrue(JSON.readTree(page.body()).at("/meta_info/view/stale").asBoolean(), page.body());
            }
        }
    }

    @Test
    void aReadRefusesACopyFurtherBehindThanItsMaxLagOrTheServersDefault() throws IOException {
        try (ApiFixture standby = instance("standby", true, List.of())) {
            HttpResponse<String> tooFar = standby.http().get(BASE + "?queue_type=PROCESSOR&max_lag=2", OPS);
            assertEquals(503, tooFar.statusCode(), tooFar.body());
            assertTrue(tooFar.headers().firstValue("Retry-After").isPresent());
            assertTrue(tooFar.body().contains("3 records behind, more than max_lag 2"), tooFar.body());
            assertEquals(200, standby.http().get(BASE + "?queue_type=PROCESSOR&max_lag=3", OPS).statusCode());

            copyLag.set(1_001); // the fixture's default is 1,000
            assertEquals(503, standby.http().get(BASE + "/5?queue_type=PROCESSOR", OPS).statusCode());

            HttpResponse<String> negative = standby.http().get(BASE + "?queue_type=PROCESSOR&max_lag=-1", OPS);
            assertEquals(400, negative.statusCode(), negative.body());
            assertTrue(negative.body().contains("max_lag"), negative.body());
        }
    }

    @Test
    void aReadIsForwardedToAnInstanceHoldingAStandbyWhenTheOwnerCannotBeReached() throws IOException {
        try (ApiFixture standby = instance("standby", true, List.of());
             ApiFixture neither = instance("neither", false,
                     List.of(new InstanceAddress("127.0.0.1", standby.port())))) {
            String call = BASE + "?queue_type=PROCESSOR&limit=4";
            HttpResponse<String> answer = neither.http().get(call, OPS);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode page = JSON.readTree(answer.body());
            assertEquals(JSON.readTree(live.http().get(call, OPS).body()).get("payload"), page.get("payload"));
            assertTrue(page.at("/meta_info/view/stale").asBoolean(), answer.body());
            assertEquals("127.0.0.1:" + standby.port(), page.at("/meta_info/answered_by").asText());
            assertEquals(List.of("unreachable", "answered"), metrics.forwardOutcomes);
        }
    }

    @Test
    void aWriteWhoseOwnerCannotBeReachedIsA502AndNeverAppliedToACopy() throws IOException {
        try (ApiFixture standby = instance("standby", true, List.of())) {
            List<Long> before = driver.ids(QUEUE);
            HttpResponse<String> moved = standby.http().send("PUT", BASE + "/7", OPS, "application/json",
                    "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
            assertEquals(502, moved.statusCode(), moved.body());
            assertTrue(moved.body().contains(deadOwner.toString()), moved.body());
            assertEquals(before, driver.ids(QUEUE));
        }
    }

    @Test
    void aReadWithNoOwnerToReachAndNoStandbyIsA503ToRetry() throws IOException {
        try (ApiFixture alone = instance("alone", false, List.of(deadOwner))) {
            HttpResponse<String> answer = alone.http().get(BASE + "?queue_type=PROCESSOR", OPS);
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent());
        }
    }

    /**
     * An instance that does not own the queue: the owner is the dead port; it holds a standby copy of the queue's
     * partition or not, and names the other instances that do.
     */
    private ApiFixture instance(String name, boolean standbyHere, List<InstanceAddress> standbys) throws IOException {
        LocalStores stores = new StoresOwnedElsewhere(() -> deadOwner) {
            @Override
            public QueuePlacement placement(QueueId queue) {
                return new QueuePlacement(0, false, owner(), standbyHere, standbys);
            }

            @Override
            public QueueCopy copyOf(QueueId queue) {
                if (!standbyHere) {
                    return super.copyOf(queue);
                }
                return driver.standbyCopy(queue, copyLag.get());
            }
        };
        return new ApiFixture(stores, command -> {
            throw new OwnedElsewhere(deadOwner, "owned elsewhere");
        }, Files.createDirectories(live.dataDir().resolve(name)), null, metrics, false);
    }
}
