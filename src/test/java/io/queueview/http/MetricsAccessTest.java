package io.queueview.http;

import static io.queueview.testing.ApiFixture.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.testing.ApiFixture;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.RecordedMetrics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics without a token by default; behind one when the setting says so. */
class MetricsAccessTest {

    @TempDir
    Path dataDir;

    @Test
    void metricsNeedNoTokenByDefault() {
        try (ProjectorDriver driver = new ProjectorDriver(dataDir);
             ApiFixture api = new ApiFixture(driver, driver, dataDir, null, new RecordedMetrics(), false)) {
            HttpResponse<String> metrics = api.http().get("/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertEquals(RecordedMetrics.SCRAPE, metrics.body());
        }
    }

    @Test
    void metricsBehindATokenRefuseCallsWithoutOneAndAnswerAnyTokenThatAuthenticates() {
        RecordedMetrics scrape = new RecordedMetrics();
        try (ProjectorDriver driver = new ProjectorDriver(dataDir);
             ApiFixture api = new ApiFixture(driver, driver, dataDir, null, scrape, true)) {
            HttpResponse<String> none = api.http().get("/metrics", null);
            assertEquals(401, none.statusCode(), none.body());
            assertTrue(none.body().startsWith("{\"error_code\":\"octopus.400001\""), none.body());
            assertEquals(401, api.http().get("/metrics", "no-such-token").statusCode());
            assertEquals(List.of(), scrape.scrapes, "nothing is scraped for a refused call");
            HttpResponse<String> metrics = api.http().get("/metrics", READER); // a reader of one project will do
            assertEquals(200, metrics.statusCode());
            assertEquals(RecordedMetrics.SCRAPE, metrics.body());
        }
    }
}
