package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.SimulatedScheduler;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The estimated wait over HTTP: on the position answer and the entries of an unfiltered list, by the queue's pace
 * up to the API's clock ({@link ApiFixture#NOW}), and absent where there is none.
 */
class EstimatedWaitCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/v1.0/p/data/queuing-jobs";
    private static final List<String> FIELDS = List.of("estimated_wait_seconds", "dispatch_rate_per_minute",
            "estimate_window_seconds", "estimate_basis", "cluster_dispatch_rate_per_minute",
            "arrivals_ahead_per_minute");

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();

    /**
     * 20 minutes of one dispatch every 2 s, the last 9 s before the API's clock: its window (07:53:20, 08:08:29] is
     * 909 s and holds 450 dispatches, 29.70 a minute.
     */
    private SimulatedScheduler dispatchingQueue() {
        SimulatedScheduler scheduler = new SimulatedScheduler("p", "PROCESSOR",
                ApiFixture.NOW.minus(Duration.ofMinutes(20)).minusSeconds(9));
        send(scheduler.enqueue(40));
        send(scheduler.removeHeadEvery(Duration.ofSeconds(2), Duration.ofMinutes(20), "DISPATCHED"));
        assertEquals(Instant.parse("2022-01-01T08:08:20Z"), scheduler.now());
        return scheduler;
    }

    @Test
    void thePositionAnswerCarriesTheEstimatedWaitAndItsBasis() throws IOException {
        long tenth = dispatchingQueue().queued().get(9);
        JsonNode payload = ok(BASE + "/" + tenth + "?queue_type=PROCESSOR").get("payload");
        assertEquals(10, payload.get("position").asLong());
        assertEquals(20, payload.get("estimated_wait_seconds").asLong(), payload.toString()); // 10 / (450 / 909 s)
        assertEquals(29.7, payload.get("dispatch_rate_per_minute").asDouble());
        assertEquals(909, payload.get("estimate_window_seconds").asLong());
        assertTrue(payload.get("estimated_wait_seconds").isIntegralNumber());
        assertTrue(payload.get("estimate_window_seconds").isIntegralNumber());
        assertEquals("QUEUE", payload.get("estimate_basis").asText()); // its entry names no cluster
        assertEquals(0.0, payload.get("arrivals_ahead_per_minute").asDouble()); // every new entry joined the tail
        assertFalse(payload.has("cluster_dispatch_rate_per_minute"));
    }

    @Test
    void eachEntryOfAnUnfilteredListCarriesTheEstimateOfItsPosition() throws IOException {
        dispatchingQueue();
        JsonNode list = ok(BASE + "?queue_type=PROCESSOR&limit=3&offset=8").at("/payload/list");
        assertEquals(3, list.size());
        for (int i = 0; i < 3; i++) {
            long position = 9 + i;
            assertEquals(Math.round(position * 909 / 450.0), list.get(i).get("estimated_wait_seconds").asLong());
            assertEquals(29.7, list.get(i).get("dispatch_rate_per_minute").asDouble());
            assertEquals(909, list.get(i).get("estimate_window_seconds").asLong());
        }
        // a page after a page token: its entries' positions follow on from the first's
        String token = ok(BASE + "?queue_type=PROCESSOR&limit=11").at("/payload/page_info/next_page_token").asText();
        JsonNode next = ok(BASE + "?queue_type=PROCESSOR&limit=2&page_token=" + token).at("/payload/list");
        assertEquals(Math.round(12 * 909 / 450.0), next.get(0).get("estimated_wait_seconds").asLong());
        assertEquals(Math.round(13 * 909 / 450.0), next.get(1).get("estimated_wait_seconds").asLong());
    }

    @Test
    void aFilteredListCarriesNoneItsPlacesAreNotPositionsInTheQueue() throws IOException {
        long tenth = dispatchingQueue().queued().get(9);
        JsonNode entry = ok(BASE + "?queue_type=PROCESSOR&job_id=" + tenth).at("/payload/list/0");
        assertEquals(tenth, entry.get("id").asLong());
        FIELDS.forEach(field -> assertFalse(entry.has(field), field + " in " + entry));
    }

    @Test
    void aQueueThatHasNotDispatchedEnoughHasNoEstimateFields() throws IOException {
        SimulatedScheduler scheduler = new SimulatedScheduler("p", "PROCESSOR", ApiFixture.NOW.minusSeconds(60));
        send(scheduler.enqueue(5));
        send(scheduler.removeHeadEvery(Duration.ofSeconds(5), Duration.ofSeconds(45), "DISPATCHED")); // 9
        JsonNode payload = ok(BASE + "/" + scheduler.queued().get(0) + "?queue_type=PROCESSOR").get("payload");
        FIELDS.forEach(field -> assertFalse(payload.has(field), field + " in " + payload));
        JsonNode listed = ok(BASE + "?queue_type=PROCESSOR").at("/payload/list/0");
        FIELDS.forEach(field -> assertFalse(listed.has(field), field + " in " + listed));
    }

    private JsonNode ok(String pathAndQuery) throws IOException {
        HttpResponse<String> response = api.http().get(pathAndQuery, OPS);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private void send(List<SimulatedScheduler.Timed> events) {
        events.forEach(timed -> api.driver().sendAt(timed.at(), timed.event()));
    }
}
