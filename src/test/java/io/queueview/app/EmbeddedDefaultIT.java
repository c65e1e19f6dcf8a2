package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queueview.config.Settings;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.Await;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.TestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick-start path: no Kafka configured, so an in-process broker, the demo data and a demo token. */
class EmbeddedDefaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_LIST = "/v1.0/demo-project-1/data/queuing-jobs?queue_type=PROCESSOR&limit=200";

    @Test
    void servesTheDemoDataWithTheDemoTokenAndKeepsItAcrossARestart(@TempDir Path dataDir, @TempDir Path replayDir)
            throws Exception {
        Settings settings = TestSettings.in(dataDir, "QUEUEVIEW_EMBEDDED_KAFKA_PORT", "0");
        List<Long> demoQueue = replayedDemoQueue(replayDir);
        String firstAnswer;
        String token;
        long started = System.nanoTime();
        try (Application app = Application.start(settings)) {
            assertTrue(app.awaitReady(Duration.ofSeconds(60)));
            token = app.demoToken();
            assertNotNull(token);
            assertEquals(token, Files.readString(dataDir.resolve("demo-token")).trim());
            HttpClientForTests http = new HttpClientForTests(app.httpPort());
            Await.until(Duration.ofSeconds(60), "the demo data is listed", () -> total(http, token) > 0);
            System.out.printf("[timing] embedded default: demo data listed %d ms after start%n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
            // the demo has updates and removals after the enqueues: a total alone can match halfway through
            Await.until(Duration.ofSeconds(30), "every demo event is applied",
                    () -> ids(body(http, token)).equals(demoQueue));
            firstAnswer = withoutEstimates(body(http, token).get("payload")).toString();
        }

        try (Application app = Application.start(settings)) {
            assertTrue(app.awaitReady(Duration.ofSeconds(60)));
            assertEquals(token, app.demoToken(), "a restart keeps the demo token");
            assertEquals(firstAnswer,
                    withoutEstimates(body(new HttpClientForTests(app.httpPort()), token).get("payload")).toString());
        }
    }

    /** The ids of the demo's PROCESSOR queue of demo-project-1 once every demo event is applied, in order. */
    private static List<Long> replayedDemoQueue(Path replayDir) {
        try (ProjectorDriver replay = new ProjectorDriver(replayDir)) {
            DemoData.events().forEach(event -> replay.sendRaw(null, event.toString().getBytes(StandardCharsets.UTF_8)));
            return replay.ids(new QueueId("demo-project-1", QueueType.PROCESSOR));
        }
    }

    /** The page without its estimated waits: they change with the clock (the queue's pace is over a window to now). */
    private static JsonNode withoutEstimates(JsonNode payload) {
        payload.get("list").forEach(entry -> ((ObjectNode) entry).remove(List.of("estimated_wait_seconds",
                "dispatch_rate_per_minute", "estimate_window_seconds")));
        return payload;
    }

    private static List<Long> ids(JsonNode body) {
        List<Long> ids = new ArrayList<>();
        body.at("/payload/list").forEach(entry -> ids.add(entry.get("id").asLong()));
        return ids;
    }

    private static long total(HttpClientForTests http, String token) {
        return body(http, token).at("/payload/page_info/total").asLong();
    }

    private static JsonNode body(HttpClientForTests http, String token) {
        HttpResponse<String> response = http.get(DEMO_LIST, token);
        assertEquals(200, response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
