package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.ApiFixture.WRITER;
import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.changes.ChangeLog;
import io.queueview.changes.QueueChange;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.query.InstanceAddress;
import io.queueview.query.OwnedElsewhere;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventStream;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.StoresOwnedElsewhere;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET .../{id}/watch over HTTP against a running server on the whole topology: the events the projector publishes on
 * queue-changes are fed into the server's change log as its feed would, offsets in order.
 */
class JobWatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BASE = "/v1.0/p/data/queuing-jobs";
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();
    private ProjectorDriver driver;
    private ChangeLog log;
    /** Another instance's change log, when a test runs one: fed the same changes. */
    private ChangeLog elsewhereLog;
    private long offset = 100;

    @BeforeEach
    void fillTheQueue() {
        driver = api.driver();
        log = api.changes();
        log.startAt(log.partitionOf(QUEUE), offset);
        for (int id = 1; id <= 5; id++) {
            driver.send(enqueued("p", "PROCESSOR", id));
        }
        feed();
    }

    @Test
    void aWatchTellsEachNewPositionAcrossMovesAndDispatchesThenWhenItLeaves() throws Exception {
        try (EventStream watch = EventStream.open(api.port(), watchOf(4, null), READER, null)) {
            assertEquals(200, watch.status());
            EventStream.Event ready = watch.next(WAIT);
            assertEquals("ready", ready.name());
            assertEquals(4, JSON.readTree(ready.data()).get("id").asLong());
            assertEquals(4, position(watch.next(WAIT)).get("position").asLong());

            driver.send(dequeued("p", "PROCESSOR", 1).with("reason", "DISPATCHED"));
            feed();
            JsonNode afterDispatch = position(watch.next(WAIT));
            assertEquals(3, afterDispatch.get("position").asLong());
            assertEquals(4, afterDispatch.get("queue_total").asLong());

            move(4, "MOVE_TOP");
            assertEquals(1, position(watch.next(WAIT)).get("position").asLong());

            driver.send(enqueued("p", "PROCESSOR", 6)); // behind it: its position stands, nothing is sent
            feed();
            move(2, "MOVE_TOP"); // ahead of it now
            EventStream.Event second = watch.next(WAIT);
            JsonNode secondJson = position(second);
            assertEquals(2, secondJson.get("position").asLong());
            assertEquals(5, secondJson.get("queue_total").asLong());

            driver.send(dequeued("p", "PROCESSOR", 4).with("reason", "DISPATCHED"));
            feed();
            EventStream.Event left = watch.next(WAIT);
            assertEquals("left", left.name());
            assertEquals("{\"id\":4,\"reason\":\"DISPATCHED\"}", left.data());
            assertTrue(watch.endsWithin(WAIT), "the stream ends after its last event");
            assertTrue(watch.drain().isEmpty());
        }
    }

    @Test
    void aWatchSaysOnceWhenTheEntryReachesTheAskedPosition() throws Exception {
        try (EventStream watch = EventStream.open(api.port(), watchOf(5, 2), READER, null)) {
            assertEquals(2, JSON.readTree(watch.next(WAIT).data()).get("notify_at_position").asInt());
            assertEquals(5, position(watch.next(WAIT)).get("position").asLong());
            for (long id = 1; id <= 3; id++) {
                driver.send(dequeued("p", "PROCESSOR", id).with("reason", "DISPATCHED"));
                feed();
                assertEquals(5 - id, position(watch.next(WAIT)).get("position").asLong());
            }
            EventStream.Event reached = watch.next(WAIT);
            assertEquals("reached", reached.name());
            assertEquals("{\"id\":5,\"position\":2,\"notify_at_position\":2}", reached.data());
            driver.send(dequeued("p", "PROCESSOR", 4).with("reason", "DISPATCHED"));
            feed();
            assertEquals(1, position(watch.next(WAIT)).get("position").asLong());
            driver.send(dequeued("p", "PROCESSOR", 5).with("reason", "CANCELLED"));
            feed();
            EventStream.Event left = watch.next(WAIT);
            assertEquals("left", left.name(), "reached is said once: " + left);
            assertEquals("CANCELLED", JSON.readTree(left.data()).get("reason").asText());
        }
    }

    @Test
    void aWatchResumedAfterTheEntryLeftGetsItsLastEvent() throws Exception {
        String resumeFrom;
        try (EventStream watch = EventStream.open(api.port(), watchOf(3, null), READER, null)) {
            watch.next(WAIT);
            resumeFrom = watch.next(WAIT).id();
        }
        driver.send(dequeued("p", "PROCESSOR", 3).with("reason", "DISPATCHED"));
        feed();
        try (EventStream resumed = EventStream.open(api.port(), watchOf(3, null), READER, resumeFrom)) {
            assertEquals(200, resumed.status());
            assertTrue(JSON.readTree(resumed.next(WAIT).data()).get("resumed").asBoolean());
            EventStream.Event left = resumed.next(WAIT);
            assertEquals("left", left.name());
            assertEquals("DISPATCHED", JSON.readTree(left.data()).get("reason").asText());
            assertTrue(resumed.endsWithin(WAIT));
        }
        // without Last-Event-ID, an entry that is not queued is the position call's 404
        assertRefused(EventStream.open(api.port(), watchOf(3, null), READER, null), 404, "octopus.400004");
    }

    @Test
    void aWatchNeedsATokenThatMayListTheProjectAndValidParameters() throws Exception {
        assertRefused(EventStream.open(api.port(), watchOf(1, null), null, null), 401, "octopus.400001");
        assertRefused(EventStream.open(api.port(), watchOf(1, null), WRITER, null), 403, "octopus.400003");
        assertRefused(EventStream.open(api.port(), watchOf(1, null).replace("PROCESSOR", "NOPE"), READER, null), 400,
                "octopus.400000");
        assertRefused(EventStream.open(api.port(), watchOf(1, 0), READER, null), 400, "octopus.400000");
        assertRefused(EventStream.open(api.port(), watchOf(1, null).replace("/1/", "/x/"), READER, null), 400,
                "octopus.400000");
    }

    @Test
    void watchesAndChangeStreamsShareTheInstancesCap() throws Exception {
        // ApiFixture.STREAM_LIMITS: 3 per instance, 2 per token
        try (EventStream change = EventStream.open(api.port(), BASE + "/changes?queue_type=PROCESSOR", OPS, null);
             EventStream first = EventStream.open(api.port(), watchOf(1, null), OPS, null);
             EventStream second = EventStream.open(api.port(), watchOf(2, null), READER, null)) {
            assertEquals("ready", change.next(WAIT).name());
            assertEquals("ready", first.next(WAIT).name());
            assertEquals("ready", second.next(WAIT).name());
            String refused = assertRefused(EventStream.open(api.port(), watchOf(3, null), READER, null), 503,
                    "octopus.400103");
            assertTrue(refused.contains("this instance serves 3"), refused);
        }
    }

    @Test
    void anInstanceThatDoesNotOwnTheQueueAsksItsOwnerWhereTheEntryStands() throws Exception {
        InstanceAddress owner = new InstanceAddress("127.0.0.1", api.port());
        try (ApiFixture elsewhere = new ApiFixture(new StoresOwnedElsewhere(() -> owner), command -> {
            throw new OwnedElsewhere(owner, "owned by " + owner);
        }, Files.createDirectories(api.dataDir().resolve("elsewhere")))) {
            elsewhereLog = elsewhere.changes();
            elsewhereLog.startAt(log.partitionOf(QUEUE), offset);
            try (EventStream watch = EventStream.open(elsewhere.port(), watchOf(3, 1), READER, null)) {
                assertEquals(200, watch.status(), watch.status() == 200 ? "" : watch.body());
                assertEquals("ready", watch.next(WAIT).name());
                assertEquals(3, position(watch.next(WAIT)).get("position").asLong());
                move(3, "MOVE_TOP");
                assertEquals(1, position(watch.next(WAIT)).get("position").asLong());
                assertEquals("reached", watch.next(WAIT).name());
                driver.send(dequeued("p", "PROCESSOR", 3).with("reason", "DISPATCHED"));
                feed();
                assertEquals("left", watch.next(WAIT).name());
            }
            // the owner's 404 is the watch's
            assertRefused(EventStream.open(elsewhere.port(), watchOf(3, null), READER, null), 404, "octopus.400004");
        }
    }

    private static String watchOf(long id, Integer notifyAt) {
        return BASE + "/" + id + "/watch?queue_type=PROCESSOR" + (notifyAt == null ? "" : "&notify_at_position=" + notifyAt);
    }

    private static JsonNode position(EventStream.Event event) throws Exception {
        assertEquals("position", event.name(), event.toString());
        assertFalse(event.id().isEmpty());
        return JSON.readTree(event.data());
    }

    private void move(long id, String operation) {
        HttpResponse<String> moved = api.http().send("PUT", BASE + "/" + id, OPS, "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"" + operation + "\"}");
        assertEquals(200, moved.statusCode(), moved.body());
        feed();
    }

    /** What the projector published on queue-changes since the last feed, into the change log. */
    private void feed() {
        driver.changes().forEach(change -> {
            String key = Utils.utf8(change.key);
            QueueChange read = new QueueChange(log.partitionOf(QUEUE), offset++, key, change.value);
            log.append(read);
            if (elsewhereLog != null) {
                elsewhereLog.append(read);
            }
        });
    }

    private static String assertRefused(EventStream stream, int status, String code) throws Exception {
        assertEquals(status, stream.status());
        JsonNode error = JSON.readTree(stream.body());
        assertEquals(code, error.get("error_code").asText(), error.toString());
        return error.get("error_msg").asText();
    }
}
