package io.queueview.app;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.Await;
import io.queueview.testing.FreePort;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.RunningService;
import io.queueview.testing.SharedBroker;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /metrics with the real tools: its text passes promtool's check, and a real Prometheus server scraping the
 * service answers a PromQL query for a queue's depth with the list call's total (Debian's prometheus package,
 * which .ci/run installs; the tests say so and are skipped where it is missing).
 */
class MetricsIT {

    @RegisterExtension
    final RunningService service = new RunningService();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEAD_LETTERS = "queueview_events_dead_lettered_total";
    private static final String LIST = "/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR";


    @BeforeEach
    void start() throws Exception {
        List<Map.Entry<byte[], byte[]>> events = new ArrayList<>();
        for (int id = 1; id <= 7; id++) {
            events.add(new SimpleEntry<>("p".getBytes(StandardCharsets.UTF_8), enqueued("p", "PROCESSOR", id).bytes()));
        }
        // two dead letters, of two reasons: not JSON, and an event without its job_id
        events.add(new SimpleEntry<>("p".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8)));
        events.add(new SimpleEntry<>("p".getBytes(StandardCharsets.UTF_8),
                enqueued("p", "PROCESSOR", 8).without("job_id").bytes()));
        SharedBroker.produce(service.settings().topics().events(), events);
        Await.until(Duration.ofSeconds(60), "the entries are listed",
                () -> service.http().get(LIST, service.token()).body().contains("\"total\":7"));
    }


    @Test
    void aDispatchIsCountedInTheTimeInQueueHistogramOfItsQueueType() throws Exception {
        SharedBroker.produce(service.settings().topics().events(), List.of(new SimpleEntry<>(
                "p".getBytes(StandardCharsets.UTF_8),
                dequeued("p", "PROCESSOR", 3).with("reason", "DISPATCHED").bytes())));
        Await.until(Duration.ofSeconds(60), "the dispatch is applied",
                () -> service.http().get(LIST, service.token()).body().contains("\"total\":6"));
        String text = service.http().get("/metrics", null).body();
        assertEquals(1.0, sum(text, "queueview_queue_wait_seconds_count", "queue_type=\"PROCESSOR\""), text);
        assertEquals(0.0, sum(text, "queueview_queue_wait_seconds_count", "queue_type=\"INTERNAL\""), text);
        assertTrue(text.contains("queueview_queue_wait_seconds_bucket{queue_type=\"PROCESSOR\",le="), "a histogram");
    }

    @Test
    void metricsNeedNoTokenNameTheQueueDepthAndTheCallsByRouteAndPassPromtool() throws Exception {
        HttpResponse<String> moved = service.http().send("PUT", "/v1.0/p/data/queuing-jobs/5", service.token(),
                "application/json", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
        assertEquals(200, moved.statusCode(), moved.body());
        // Kafka Streams' metrics, queueview's task counters among them, are picked up every 5 s
        Await.until(Duration.ofSeconds(30), "the task counters are in /metrics",
                () -> service.http().get("/metrics", null).body().contains("queueview_events_applied_total{"));
        HttpResponse<String> metrics = service.http().get("/metrics", null);
        assertEquals(200, metrics.statusCode());
        String text = metrics.body();
        assertTrue(text.contains("queueview_queue_depth_entries{project_id=\"p\",queue_type=\"PROCESSOR\"} 7.0"), text);
        assertTrue(text.contains("queueview_http_requests_seconds_count{method=\"GET\","
                + "route=\"/v1.0/{project_id}/data/queuing-jobs\",status=\"200\"}"), "by route template, never the path");
        // every partition of the view has its lag, and nothing is left to apply once the 7 events are listed
        assertEquals(service.settings().view().partitions(),
                text.lines().filter(line -> line.startsWith("queueview_partition_lag_records{partition=")).count(), text);
        assertEquals(0.0, sum(text, "queueview_partition_lag_records"), "the lag, summed over the partitions");
        assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM's metrics");
        assertTrue(text.contains("kafka_"), "Kafka Streams' own metrics");
        assertEquals(7.0, sum(text, "queueview_events_applied_total"), "events applied, over the tasks");
        assertEquals(1.0, sum(text, DEAD_LETTERS, "reason=\"unreadable\""), "unreadable");
        assertEquals(1.0, sum(text, DEAD_LETTERS, "reason=\"missing_field\""), "missing_field");
        assertEquals(0.0, sum(text, DEAD_LETTERS, "reason=\"invalid_field\""), "invalid_field");
        assertEquals(1.0, sum(text, "queueview_commands_applied_total"), "the move, over the tasks");
        assertEquals(1.0, sum(text, "queueview_write_wait_seconds_count", "outcome=\"applied\""), "by outcome");
        assertTrue(text.contains("queueview_write_wait_seconds_bucket{outcome=\"applied\""), "a histogram");
        // the oldest entry has the smallest rank_stamp (1,000,001 ms after the epoch, see EventJson.enqueued)
        double oldestAge = sum(text, "queueview_queue_oldest_entry_age_seconds",
                "project_id=\"p\",queue_type=\"PROCESSOR\"");
        double expected = (System.currentTimeMillis() - 1_000_001L) / 1e3;
        assertTrue(Math.abs(oldestAge - expected) < 120, oldestAge + " s, expected about " + expected);

        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed (.ci/run installs Debian's prometheus)");
        Path scrape = Files.writeString(service.dataDir().resolve("scrape.txt"), text);
        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scrape.toFile())
                .redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), "promtool check metrics: " + said);
    }

    /** The sum of the samples of one metric over its series that have these labels; -1 when it has none. */
    private static double sum(String text, String metric, String... labels) {
        double[] total = {0};
        boolean[] found = {false};
        text.lines().filter(line -> line.startsWith(metric + "{")
                && Arrays.stream(labels).allMatch(label -> line.contains(label))).forEach(line -> {
            found[0] = true;
            total[0] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        });
        return found[0] ? total[0] : -1;
    }

    @Test
    void aRealPrometheusScrapingTheServiceAnswersAQueuesDepthAsTheListCallsTotal() throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(prometheus), "prometheus is not installed (.ci/run installs Debian's prometheus)");
        int port = FreePort.find();
        Path config = Files.writeString(service.dataDir().resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: queueview
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(service.app().httpPort()));
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + service.dataDir().resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(service.dataDir().resolve("prometheus.log").toFile()).start();
        try {
            long total = JSON.readTree(service.http().get(LIST, service.token()).body()).at("/payload/page_info/total").asLong();
            HttpClientForTests promql = HttpClientForTests.ofOtherServer(port);
            String query = "/api/v1/query?query=" + URLEncoder.encode(
                    "queueview_queue_depth_entries{project_id=\"p\",queue_type=\"PROCESSOR\"}", StandardCharsets.UTF_8);
            Await.until(Duration.ofSeconds(60), "Prometheus has scraped the queue's depth", () -> {
                try {
                    JsonNode result = JSON.readTree(promql.get(query, null).body()).at("/data/result");
                    return result.size() == 1 && result.at("/0/value/1").asText().equals(Long.toString(total));
                } catch (AssertionError | Exception notYet) { // not listening yet
                    return false;
                }
            });
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
