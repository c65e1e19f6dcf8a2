package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET .../queuing-jobs/stats over HTTP, on a server answering from the real topology: the figures of a known history
 * up to the API's clock ({@link ApiFixture#NOW}), the list call's token rules, and the answer against the contract
 * (every answer of these tests is checked against topology/openapi.yaml).
 */
class StatsCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATS = "/v1.0/p/data/queuing-jobs/stats";

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();

    @Test
    void answersTheDispatchesTimesInQueueAndDepthOfTheQueue() throws IOException {
        ProjectorDriver driver = api.driver();
        Instant start = ApiFixture.NOW.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(90));
        for (long id = 1; id <= 20; id++) {
            driver.sendAt(start, enqueued("p", "PROCESSOR", id));
        }
        for (long id = 1; id <= 10; id++) { // 1-10 wait 1-10 minutes, 30 to 20 minutes before the last hour
            driver.sendAt(start.plus(Duration.ofMinutes(id)), dispatched(id));
        }
        for (long id = 11; id <= 14; id++) { // 11-14 wait 80 minutes, within the last hour
            driver.sendAt(start.plus(Duration.ofMinutes(80)), dispatched(id));
        }
        driver.sendAt(start.plus(Duration.ofMinutes(81)), dequeued("p", "PROCESSOR", 15).with("reason", "CANCELLED"));

        HttpResponse<String> response = api.http().get(STATS + "?queue_type=PROCESSOR", READER);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode payload = JSON.readTree(response.body()).get("payload");
        assertEquals("PROCESSOR", payload.get("queue_type").asText());
        JsonNode hour = payload.get("last_hour");
        assertEquals(3600, hour.get("seconds").asLong());
        assertEquals(4, hour.get("dispatched").asLong());
        assertEquals(0.07, hour.get("dispatched_per_minute").asDouble()); // 4 / 60
        double p50 = hour.at("/time_in_queue_seconds/p50").asDouble();
        assertTrue(p50 >= 4800 && p50 < 4800 * 1.0906, hour.toString());
        JsonNode day = payload.get("last_24h");
        assertEquals(91 * 60, day.get("seconds").asLong(), "from the history's first minute: " + day);
        assertEquals(14, day.get("dispatched").asLong());
        double dayP50 = day.at("/time_in_queue_seconds/p50").asDouble(); // the 7th of 1..10 min and 4 × 80 min
        assertTrue(dayP50 >= 420 && dayP50 < 420 * 1.0906, day.toString());
        JsonNode depth = payload.get("depth");
        assertEquals(start.toString(), depth.get("from").asText());
        assertEquals(60, depth.get("step_seconds").asInt());
        assertEquals(91, depth.get("points").size());
        assertEquals(20, depth.get("points").get(0).asLong());
        assertEquals(15, depth.get("points").get(5).asLong()); // 1-5 dispatched by the end of minute 5
        assertEquals(5, depth.get("points").get(90).asLong()); // 16-20 queued
    }

    private static EventJson dispatched(long id) {
        return dequeued("p", "PROCESSOR", id).with("reason", "DISPATCHED");
    }

    @Test
    void aQueueWithoutHistoryHasNoFiguresYet() throws IOException {
        HttpResponse<String> response = api.http().get(STATS + "?queue_type=RESIM", OPS);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode payload = JSON.readTree(response.body()).get("payload");
        assertEquals(0, payload.at("/last_24h/dispatched").asLong());
        assertFalse(payload.get("last_24h").has("time_in_queue_seconds"));
        assertFalse(payload.has("depth"));
    }

    @Test
    void followsTheListCallsTokenAndParameterRules() throws IOException {
        assertEquals(401, api.http().get(STATS + "?queue_type=PROCESSOR", null).statusCode());
        assertEquals(403, api.http().get("/v1.0/other/data/queuing-jobs/stats?queue_type=PROCESSOR", READER)
                .statusCode());
        HttpResponse<String> noType = api.http().get(STATS, READER);
        assertEquals(400, noType.statusCode());
        assertTrue(noType.body().contains("queue_type"), noType.body());
        assertEquals(400, api.http().get(STATS + "?queue_type=GPU", READER).statusCode());
        assertEquals(200, api.http().send("HEAD", STATS + "?queue_type=PROCESSOR", READER, null, null).statusCode());
    }
}
