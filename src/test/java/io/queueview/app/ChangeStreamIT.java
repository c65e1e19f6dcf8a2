package io.queueview.app;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.EventStream;
import io.queueview.testing.RunningService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The change stream fed from the real queue-changes topic: what the scheduler and the write calls change shows. */
class ChangeStreamIT {

    @RegisterExtension
    final RunningService service = new RunningService();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHANGES = "/v1.0/p/data/queuing-jobs/changes?queue_type=PROCESSOR";




    @Test
    void eventsAndMovesShowOnTheStreamAsTheyApplyAndAReconnectResumesAfterTheLastOneSeen() throws Exception {
        String lastSeen;
        try (EventStream stream = EventStream.open(service.app().httpPort(), CHANGES, service.token(), null)) {
            assertEquals("ready", stream.next(WAIT).name());
            String metrics = service.http().get("/metrics", null).body();
            assertTrue(metrics.contains("\nqueueview_change_streams 1.0\n"), "the open stream is counted in /metrics: "
                    + metrics.lines().filter(line -> line.contains("change_streams")).toList());
            service.produce(enqueued("p", "PROCESSOR", 1), enqueued("p", "PROCESSOR", 2));
            long acknowledged = System.nanoTime();
            JsonNode first = JSON.readTree(stream.next(WAIT).data());
            System.out.printf("event acknowledged by Kafka -> on the change stream: %.0f ms%n",
                    (System.nanoTime() - acknowledged) / 1e6);
            assertEquals("UPSERT", first.get("change").asText());
            assertEquals(1, first.at("/entry/id").asLong());
            assertEquals(2, JSON.readTree(stream.next(WAIT).data()).at("/entry/id").asLong());
            List<String> delays = new ArrayList<>();
            for (int id = 10; id < 15; id++) { // one at a time: how long each takes to show, once things run
                service.produce(enqueued("p", "PROCESSOR", id));
                long ack = System.nanoTime();
                assertEquals(id, JSON.readTree(stream.next(WAIT).data()).at("/entry/id").asLong());
                delays.add(Math.round((System.nanoTime() - ack) / 1e6) + " ms");
            }
            System.out.println("event acknowledged by Kafka -> on the change stream, one at a time: " + delays);

            HttpResponse<String> moved = service.http().send("PUT",
                    "/v1.0/p/data/queuing-jobs/2", service.token(), "application/json",
                    "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
            assertEquals(200, moved.statusCode(), moved.body());
            EventStream.Event move = stream.next(WAIT);
            JsonNode movedEntry = JSON.readTree(move.data());
            assertEquals(2, movedEntry.at("/entry/id").asLong(), "a move shows as the upsert of what it changed");
            assertEquals(JSON.readTree(moved.body()).at("/payload/rank_stamp").asLong(),
                    movedEntry.at("/entry/rank_stamp").asLong());
            lastSeen = move.id();
        }
        service.produce(dequeued("p", "PROCESSOR", 1).with("reason", "DISPATCHED")); // while no stream is open
        try (EventStream resumed = EventStream.open(service.app().httpPort(), CHANGES, service.token(), lastSeen)) {
            assertEquals("ready", resumed.next(WAIT).name());
            JsonNode removal = JSON.readTree(resumed.next(WAIT).data());
            assertEquals("REMOVE", removal.get("change").asText());
            assertEquals(1, removal.get("id").asLong());
            assertEquals("DISPATCHED", removal.get("reason").asText());
        }
    }

    @Test
    void aWatchFollowsOneJobAcrossAMoveAndDispatchesUntilItIsDispatched() throws Exception {
        service.produce(enqueued("p", "PROCESSOR", 21), enqueued("p", "PROCESSOR", 22), enqueued("p", "PROCESSOR", 23),
                enqueued("p", "PROCESSOR", 24));
        String watch = "/v1.0/p/data/queuing-jobs/24/watch?queue_type=PROCESSOR&notify_at_position=1";
        EventStream stream = null;
        for (long until = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < until; Thread.sleep(100)) {
            stream = EventStream.open(service.app().httpPort(), watch, service.token(), null);
            if (stream.status() == 200) {
                break;
            }
            stream.close(); // 404 until the view has entry 24
        }
        try (EventStream open = stream) {
            assertEquals(200, open.status());
            assertEquals("ready", open.next(WAIT).name());
            assertEquals(4, JSON.readTree(open.next(WAIT).data()).get("position").asLong());
            service.produce(dequeued("p", "PROCESSOR", 21).with("reason", "DISPATCHED"));
            EventStream.Event afterDispatch = open.next(WAIT);
            assertEquals("position", afterDispatch.name());
            assertEquals(3, JSON.readTree(afterDispatch.data()).get("position").asLong());
            HttpResponse<String> moved = service.http().send("PUT", "/v1.0/p/data/queuing-jobs/24", service.token(),
                    "application/json", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
            assertEquals(200, moved.statusCode(), moved.body());
            assertEquals(1, JSON.readTree(open.next(WAIT).data()).get("position").asLong());
            assertEquals("reached", open.next(WAIT).name());
            service.produce(dequeued("p", "PROCESSOR", 24).with("reason", "DISPATCHED"));
            EventStream.Event left = open.next(WAIT);
            assertEquals("left", left.name());
            assertEquals("{\"id\":24,\"reason\":\"DISPATCHED\"}", left.data());
            assertTrue(open.endsWithin(WAIT), "the watch ends after its last event");
        }
    }
}
