package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.ApiFixture.WRITER;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queueview.query.LocalStores;
import io.queueview.query.QueuePartition;
import io.queueview.query.QueueUnavailable;
import io.queueview.queue.QueueId;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventJson;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The list call (API.md section 1) over HTTP, on a server on a free port over the real topology's stores. */
class ListCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEED_PROJECT = "087679f0aaxxxxxxxxxxxxxx2f5e902b";
    private static final String LIST = "/v1.0/p/data/queuing-jobs";

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();
    private ProjectorDriver driver;
    private HttpClientForTests http;

    @BeforeEach
    void start() {
        driver = api.driver();
        http = api.http();
    }

    // The seed document's two examples; its second gives current_time as a number, API.md as ISO-8601 text.
    @Test
    void answersTheSeedsInternalExampleExactly() throws IOException {
        driver.send(enqueued(SEED_PROJECT, "INTERNAL", 1).with("job_id", 1).with("priority", 0)
                .with("rank_stamp", 1640966400000L).with("job_type", "SCENARIO_AUTO_MINING")
                .with("data_id", "DPK0000001").with("resource_spec", "1Core_4GiB")
                // processor fields are never shown for the INTERNAL queue, even when the scheduler sends them
                .with("processor_id", 3).with("processor_name", "x").with("source", "UI").with("output_type", "DATA_SET"));
        assertGolden("internal-entry.json", "/v1.0/" + SEED_PROJECT + "/data/queuing-jobs?queue_type=INTERNAL");
    }

    @Test
    void answersTheSeedsProcessorExampleExactly() throws IOException {
        driver.send(enqueued(SEED_PROJECT, "PROCESSOR", 1).with("job_id", 1).with("priority", 0)
                .with("rank_stamp", 1640966400000L).with("job_type", "SCENARIO_AUTO_MINING")
                .with("data_id", "DPK0000001").with("resource_spec", "1Core_4GiB")
                .with("cluster_type", "CCE").with("cluster_id", SEED_PROJECT));
        assertGolden("processor-entry-on-cce.json", "/v1.0/" + SEED_PROJECT + "/data/queuing-jobs?queue_type=PROCESSOR");
    }

    @Test
    void aClusterWithMoreThan32EntriesAnswersTotalsPerOutputTypeFromItsOwnCounts() throws IOException {
        // past 32 entries a cluster's index keeps counts per output_type: the total is read, not counted
        List<Long> dataMarks = new ArrayList<>();
        for (int id = 1; id <= 45; id++) {
            String outputType = id % 3 == 0 ? "DATA_MARK" : "DATA_SET";
            driver.send(enqueued("p", "PROCESSOR", id).with("priority", id % 2).with("rank_stamp", 100 - id)
                    .with("output_type", outputType).with("cluster_type", "CCE").with("cluster_id", "big"));
            if (outputType.equals("DATA_MARK")) {
                dataMarks.add((long) id);
            }
        }
        driver.send(enqueued("p", "PROCESSOR", 46).with("output_type", "DATA_MARK")
                .with("cluster_type", "CCE").with("cluster_id", "small"));
        // queue order: priority 1 (odd ids) first, then by rank_stamp: the higher id first
        List<Long> expected = new ArrayList<>();
        dataMarks.stream().filter(id -> id % 2 == 1).sorted((a, b) -> Long.compare(b, a)).forEach(expected::add);
        dataMarks.stream().filter(id -> id % 2 == 0).sorted((a, b) -> Long.compare(b, a)).forEach(expected::add);

        JsonNode body = ok(LIST + "?queue_type=PROCESSOR&cluster_type=CCE&cluster_id=big&output_type=DATA_MARK"
                + "&limit=4&offset=3");
        assertEquals(expected.subList(3, 7), ids(body));
        assertEquals(15, body.at("/payload/page_info/total").asLong());
        assertEquals(45, ok(LIST + "?queue_type=PROCESSOR&cluster_type=CCE&cluster_id=big")
                .at("/payload/page_info/total").asLong());
        assertEquals(0, ok(LIST + "?queue_type=PROCESSOR&cluster_type=CCE&cluster_id=big&output_type=PLOT_DATA")
                .at("/payload/page_info/total").asLong());
    }

    @Test
    void everyAnswerSaysHowFreshTheViewIsTheTimeOfTheLastAppliedRecordAndTheLag() throws IOException {
        driver.sendAt(Instant.parse("2026-01-01T10:00:00.250Z"), enqueued("p", "PROCESSOR", 1));
        driver.sendAt(Instant.parse("2026-01-01T10:00:01.500Z"), enqueued("q", "PROCESSOR", 2)); // same partition
        driver.reportLag(42);
        JsonNode view = ok(LIST + "?queue_type=PROCESSOR").at("/meta_info/view");
        assertEquals("2026-01-01T10:00:01.500Z", view.get("applied_until").asText(), view.toString());
        assertEquals(42, view.get("lag").asLong(), "the stores' lag, as they say it");
        assertEquals("2026-01-01T10:00:01.500Z", ok(LIST + "/1?queue_type=PROCESSOR")
                .at("/meta_info/view/applied_until").asText());
    }

    @Test
    void listsInQueueOrderWithDefaultPage() throws IOException {
        for (int id = 1; id <= 15; id++) {
            driver.send(enqueued("p", "PROCESSOR", id).with("priority", id % 3).with("rank_stamp", 100 - id));
        }
        JsonNode body = ok(LIST + "?queue_type=PROCESSOR");
        assertEquals(List.of(14L, 11L, 8L, 5L, 2L, 13L, 10L, 7L, 4L, 1L), ids(body));
        ObjectNode pageInfo = (ObjectNode) body.at("/payload/page_info");
        assertTrue(pageInfo.remove("next_page_token").isTextual(), "5 more follow: " + pageInfo);
        assertEquals(JSON.readTree("{\"offset\":0,\"limit\":10,\"total\":15}"), pageInfo);
    }

    @Test
    void pagesWithLimitAndOffset() throws IOException {
        for (int id = 1; id <= 7; id++) {
            driver.send(enqueued("p", "PROCESSOR", id));
        }
        JsonNode body = ok(LIST + "?queue_type=PROCESSOR&limit=3&offset=3");
        assertEquals(List.of(4L, 5L, 6L), ids(body));
        assertEquals(7, body.at("/payload/page_info/total").asLong());
        assertEquals(List.of(7L), ids(ok(LIST + "?queue_type=PROCESSOR&limit=200&offset=6")));
    }

    @Test
    void anOffsetPastTheTotalGivesAnEmptyListAndTheTotal() throws IOException {
        driver.send(enqueued("p", "PROCESSOR", 1), enqueued("p", "PROCESSOR", 2).with("data_id", "D"));
        JsonNode body = ok(LIST + "?queue_type=PROCESSOR&offset=5");
        assertEquals(List.of(), ids(body));
        assertEquals(2, body.at("/payload/page_info/total").asLong());
        JsonNode filtered = ok(LIST + "?queue_type=PROCESSOR&offset=5&data_id=D");
        assertEquals(List.of(), ids(filtered));
        assertEquals(1, filtered.at("/payload/page_info/total").asLong());
    }

    @Test
    void filtersCombineWithAndAndTheTotalCountsEveryMatch() throws IOException {
        for (int id = 1; id <= 30; id++) {
            EventJson event = enqueued("p", "PROCESSOR", id).with("data_id", id % 2 == 0 ? "EVEN" : "ODD")
                    .with("processor_name", id % 3 == 0 ? "fizz" : "other")
                    .with("output_type", id % 5 == 0 ? "PLOT_DATA" : "DATA_MARK")
                    .with("job_type", "FRAME_EXTRACT");
            if (id % 4 == 0) {
                event.with("cluster_type", "MODELARTS").with("cluster_id", "ma-" + (id % 8));
            } else {
                event.with("cluster_type", "CCE").with("cluster_id", "cce-1");
            }
            driver.send(event);
        }
        assertPage(LIST + "?queue_type=PROCESSOR&data_id=EVEN&processor_name=fizz&limit=2", List.of(6L, 12L), 5);
        assertPage(LIST + "?queue_type=PROCESSOR&cluster_type=MODELARTS&cluster_id=ma-0", List.of(8L, 16L, 24L), 3);
        assertPage(LIST + "?queue_type=PROCESSOR&cluster_id=cce-1&output_type=PLOT_DATA", List.of(5L, 10L, 15L, 25L, 30L), 5);
        assertPage(LIST + "?queue_type=PROCESSOR&job_id=17", List.of(17L), 1);
        assertPage(LIST + "?queue_type=PROCESSOR&job_type=FRAME_EXTRACT&limit=1&offset=29", List.of(30L), 30);
        assertPage(LIST + "?queue_type=PROCESSOR&job_type=PACKAGE_IMPORT", List.of(), 0);
        assertPage(LIST + "?queue_type=INTERNAL", List.of(), 0);
    }

    @Test
    void leavesOutFieldsWithoutAValue() throws IOException {
        driver.send(enqueued("p", "RESIM", 1));
        JsonNode entry = ok(LIST + "?queue_type=RESIM").at("/payload/list/0");
        List<String> fields = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("id", "job_id", "rank_stamp", "project_id", "priority", "queue_type"), fields);
    }

    @Test
    void showsWordsTheApiDoesNotKnowYet() throws IOException {
        driver.send(enqueued("p", "PROCESSOR", 1).with("cluster_type", "EDGE").with("output_type", "POINT_CLOUD"));
        JsonNode entry = ok(LIST + "?queue_type=PROCESSOR").at("/payload/list/0");
        assertEquals("EDGE", entry.get("cluster_type").asText());
        assertEquals("POINT_CLOUD", entry.get("output_type").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing queue_type          | limit=5                                      | queue_type is required
            empty queue_type            | queue_type=                                  | queue_type is required
            unknown queue_type          | queue_type=processor                         | queue_type 'processor' is not one of
            limit 0                     | queue_type=INTERNAL&limit=0                  | limit '0' must be an integer 1..200
            limit 201                   | queue_type=INTERNAL&limit=201                | limit '201' must be an integer 1..200
            limit abc                   | queue_type=INTERNAL&limit=abc                | limit 'abc' must be an integer 1..200
            limit beyond int            | queue_type=INTERNAL&limit=99999999999        | limit '99999999999' must be
            offset -1                   | queue_type=INTERNAL&offset=-1                | offset '-1' must be an integer >= 0
            offset 1.5                  | queue_type=INTERNAL&offset=1.5               | offset '1.5' must be an integer >= 0
            MODELARTS without cluster   | queue_type=INTERNAL&cluster_type=MODELARTS   | cluster_id is required when cluster_type is MODELARTS
            unknown cluster_type        | queue_type=INTERNAL&cluster_type=EDGE        | cluster_type 'EDGE' is not one of CCE, MODELARTS
            unknown output_type         | queue_type=INTERNAL&output_type=CSV          | output_type 'CSV' is not one of
            unknown job_type            | queue_type=INTERNAL&job_type=X               | job_type 'X' is not one of
            job_id not a number         | queue_type=INTERNAL&job_id=12a               | job_id '12a' is not an integer
            a parameter given twice     | queue_type=INTERNAL&limit=1&limit=2          | limit is given 2 times
            """)
    void rejectsABadParameterNamingItAndTheRule(String name, String query, String message) throws IOException {
        HttpResponse<String> response = http.get(LIST + "?" + query, OPS);
        assertError(response, 400, "octopus.400000");
        String errorMsg = JSON.readTree(response.body()).get("error_msg").asText();
        assertTrue(errorMsg.startsWith(message), errorMsg);
    }

    @Test
    void rejectsAProjectIdLongerThan64Characters() throws IOException {
        assertError(http.get("/v1.0/" + "p".repeat(65) + "/data/queuing-jobs?queue_type=INTERNAL", OPS),
                400, "octopus.400000");
    }

    @Test
    void asksForAValidToken() throws IOException {
        assertError(http.get(LIST + "?queue_type=INTERNAL", null), 401, "octopus.400001");
        assertError(http.get(LIST + "?queue_type=INTERNAL", "who-am-i"), 401, "octopus.400001");
        // authentication comes before validation: a stranger learns nothing about the parameters
        assertError(http.get(LIST + "?queue_type=NOPE", null), 401, "octopus.400001");
    }

    @Test
    void forbidsOtherProjectsAndMissingActions() throws IOException {
        assertEquals(200, http.get(LIST + "?queue_type=INTERNAL", READER).statusCode());
        assertError(http.get("/v1.0/q/data/queuing-jobs?queue_type=INTERNAL", READER), 403, "octopus.400003");
        assertError(http.get(LIST + "?queue_type=INTERNAL", WRITER), 403, "octopus.400003");
    }

    @Test
    void answersUnknownPathsAndMethodsWithTheApisErrors() throws IOException {
        assertError(http.get("/v1.0/p/data/queued-jobs", OPS), 404, "octopus.400004");
        assertError(http.get("/no-such-page.html", null), 404, "octopus.400004");
        assertError(http.send("POST", LIST + "?queue_type=INTERNAL", OPS, "application/json", "{}"),
                405, "octopus.400005");
        assertError(http.send("DELETE", LIST, OPS, null, null), 405, "octopus.400005");
    }

    @Test
    void servesTheQueuePageAtTheRootWithoutAToken() {
        HttpResponse<String> page = http.get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<script src=\"/page.js\"></script>"), page.body());
        assertEquals(200, http.get("/page.js", null).statusCode());
        assertEquals(200, http.get("/page.css", null).statusCode());
        // the icon the page names, so a browser asks for no /favicon.ico (a 404 in its console)
        assertTrue(page.body().contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"),
                page.body());
        assertEquals(200, http.get("/favicon.svg", null).statusCode());
    }

    @Test
    void saysLiveAndReady() {
        assertEquals(200, http.get("/health/live", null).statusCode());
        assertEquals(200, http.get("/health/ready", null).statusCode());
    }

    @Test
    void answers503WithRetryAfterWhileTheViewIsNotReady() throws IOException {
        LocalStores starting = new LocalStores() {
            @Override
            public boolean ready() {
                return false;
            }

            @Override
            public long lag(int partition) {
                return -1;
            }

            @Override
            public QueuePartition partitionOf(QueueId queue) {
                throw new QueueUnavailable("the view is not ready (rebalancing); retry shortly");
            }
        };
        try (ApiFixture notReady = new ApiFixture(starting, driver, Files.createDirectories(api.dataDir().resolve("other")))) {
            HttpResponse<String> list = notReady.http().get(LIST + "?queue_type=INTERNAL", OPS);
            assertEquals(503, list.statusCode());
            assertEquals("1", list.headers().firstValue("Retry-After").orElse(null));
            assertTrue(JSON.readTree(list.body()).get("error_msg").asText().contains("not ready"));
            HttpResponse<String> ready = notReady.http().get("/health/ready", null);
            assertEquals(503, ready.statusCode());
            assertTrue(ready.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void oddInputNeverGivesA500() {
        String[] queries = {"queue_type=%00", "queue_type=INTERNAL&data_id=%F0%9F%98%80", "queue_type=INTERNAL&=x",
            "queue_type=INTERNAL&offset=2147483647", "queue_type=INTERNAL&job_id=-9223372036854775808",
            "queue_type=INTERNAL&processor_name=" + "x".repeat(4000)};
        for (String query : queries) {
            int status = http.get(LIST + "?" + query, OPS).statusCode();
            assertTrue(status == 200 || status == 400, query + " gave " + status);
        }
        assertFalse(http.get("/v1.0/%20/data/queuing-jobs?queue_type=INTERNAL", OPS).statusCode() >= 500);
    }

    private JsonNode ok(String pathAndQuery) throws IOException {
        HttpResponse<String> response = http.get(pathAndQuery, OPS);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    private void assertPage(String pathAndQuery, List<Long> ids, long total) throws IOException {
        JsonNode body = ok(pathAndQuery);
        assertEquals(ids, ids(body), pathAndQuery);
        assertEquals(total, body.at("/payload/page_info/total").asLong(), pathAndQuery);
    }

    /** The seed's answer exactly, but for meta_info.view, which it predates (additive: see the test of it). */
    private void assertGolden(String golden, String pathAndQuery) throws IOException {
        JsonNode expected = JSON.readTree(getClass().getResourceAsStream("/golden/" + golden));
        JsonNode answer = ok(pathAndQuery);
        ((ObjectNode) answer.get("meta_info")).remove("view");
        assertEquals(expected, answer);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(code, body.get("error_code").asText());
        assertFalse(body.get("error_msg").asText().isBlank());
        assertEquals(2, body.size(), "only error_code and error_msg: " + body);
    }

    private static List<Long> ids(JsonNode body) {
        List<Long> ids = new ArrayList<>();
        for (Iterator<JsonNode> it = body.at("/payload/list").elements(); it.hasNext(); ) {
            ids.add(it.next().get("id").asLong());
        }
        return ids;
    }
}
