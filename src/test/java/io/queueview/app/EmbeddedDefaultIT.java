package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.config.Settings;
import io.queueview.testing.Await;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.TestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick-start path: no Kafka configured, so an in-process broker, the demo data and a demo token. */
class EmbeddedDefaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEMO_LIST = "/v1.0/demo-project-1/data/queuing-jobs?queue_type=PROCESSOR&limit=200";

    @Test
    void servesTheDemoDataWithTheDemoTokenAndKeepsItAcrossARestart(@TempDir Path dataDir) throws Exception {
        Settings settings = TestSettings.in(dataDir, "QUEUEVIEW_EMBEDDED_KAFKA_PORT", "0");
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
            Await.until(Duration.ofSeconds(30), "every demo event is applied", () -> total(http, token) == 33);
            firstAnswer = body(http, token).get("payload").toString();
        }

        try (Application app = Application.start(settings)) {
            assertTrue(app.awaitReady(Duration.ofSeconds(60)));
            assertEquals(token, app.demoToken(), "a restart keeps the demo token");
            assertEquals(firstAnswer, body(new HttpClientForTests(app.httpPort()), token).get("payload").toString());
        }
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
