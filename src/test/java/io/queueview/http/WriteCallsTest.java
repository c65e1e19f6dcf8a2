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
import io.queueview.command.RefusedWrite;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.ProjectorDriver;
import io.queueview.write.CommandPending;
import io.queueview.write.KafkaUnavailable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The move, batch-update and position calls over HTTP, on the real topology in a test driver. */
class WriteCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final String BASE = "/v1.0/p/data/queuing-jobs";

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();
    private ProjectorDriver driver;
    private HttpClientForTests http;

    @BeforeEach
    void start() {
        driver = api.driver();
        http = api.http();
        for (int id = 1; id <= 5; id++) {
            driver.send(enqueued("p", "PROCESSOR", id).with("priority", id == 5 ? -1 : 0));
        }
    }

    private HttpResponse<String> put(String path, String body) {
        return http.send("PUT", BASE + path, OPS, "application/json", body);
    }

    @Test
    void movesAnEntryAndAnswersWithItsNewPosition() throws IOException {
        HttpResponse<String> response = put("/4", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode payload = JSON.readTree(response.body()).get("payload");
        assertEquals(4, payload.get("id").asLong());
        assertEquals(1, payload.get("position").asLong());
        assertEquals(5, payload.get("queue_total").asLong());
        assertEquals(List.of(4L, 1L, 2L, 3L, 5L), driver.ids(QUEUE));

        assertEquals(200, put("/4", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_DOWN\"}").statusCode());
        assertEquals(200, put("/1", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TAIL\"}").statusCode());
        assertEquals(200, put("/3", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_UP\"}").statusCode());
        assertEquals(List.of(4L, 3L, 2L, 5L, 1L), driver.ids(QUEUE));
    }

    @Test
    void movingTheHeadUpIsA200ThatChangesNothing() {
        assertEquals(200, put("/1", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_UP\"}").statusCode());
        assertEquals(200, put("/5", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_DOWN\"}").statusCode());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), driver.ids(QUEUE));
    }

    @Test
    void batchUpdateSetsEveryPriorityAllOrNothing() throws IOException {
        HttpResponse<String> response = put("/batch-update", "{\"ids\":[5,3,5],\"priority\":50,\"queue_type\":\"PROCESSOR\"}");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(JSON.readTree("{\"queue_type\":\"PROCESSOR\",\"ids\":[5,3],\"priority\":50}"),
                JSON.readTree(response.body()).get("payload"));
        assertEquals(List.of(3L, 5L, 1L, 2L, 4L), driver.ids(QUEUE));

        HttpResponse<String> missing = put("/batch-update", "{\"ids\":[1,404],\"priority\":-50,\"queue_type\":\"PROCESSOR\"}");
        assertError(missing, 404, "octopus.400004");
        assertEquals(List.of(3L, 5L, 1L, 2L, 4L), driver.ids(QUEUE));
    }

    @Test
    void answers404ForAnEntryNotQueuedInThatQueue() throws IOException {
        HttpResponse<String> missing = put("/404", "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
        assertError(missing, 404, "octopus.400004");
        assertEquals("entry 404 is not queued in the PROCESSOR queue of project p",
                JSON.readTree(missing.body()).get("error_msg").asText());
        assertError(put("/1", "{\"queue_type\":\"INTERNAL\",\"operation_type\":\"MOVE_TOP\"}"), 404, "octopus.400004");
        assertError(http.get(BASE + "/404?queue_type=PROCESSOR", OPS), 404, "octopus.400004");
    }

    @Test
    void showsWhereAnEntryStands() throws IOException {
        HttpResponse<String> response = http.get(BASE + "/3?queue_type=PROCESSOR", READER);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(JSON.readTree("{\"id\":3,\"job_id\":3,\"rank_stamp\":1000003,\"project_id\":\"p\",\"priority\":0,"
                + "\"queue_type\":\"PROCESSOR\",\"position\":3,\"queue_total\":5,"
                + "\"ahead\":{\"higher_priority\":0,\"same_priority\":2}}"), body.get("payload"));
        assertEquals(ApiFixture.NOW.toString(), body.at("/meta_info/current_time").asText());
    }

    @Test
    void saysWhatIsAheadOfAnEntryByPriorityAndCluster() throws IOException {
        driver.send(enqueued("p", "PROCESSOR", 6).with("priority", 3).with("cluster_type", "MODELARTS")
                        .with("cluster_id", "ma-1"),
                enqueued("p", "PROCESSOR", 7).with("priority", 0).with("rank_stamp", 1).with("cluster_type", "MODELARTS")
                        .with("cluster_id", "ma-2"),
                enqueued("p", "PROCESSOR", 8).with("priority", -1).with("cluster_type", "MODELARTS")
                        .with("cluster_id", "ma-1"));
        // order: 6 (priority 3), 7 (0, earliest), 1-4 (0), 5 (-1, older), 8 (-1)
        HttpResponse<String> response = http.get(BASE + "/8?queue_type=PROCESSOR", READER);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode payload = JSON.readTree(response.body()).get("payload");
        assertEquals(8, payload.get("position").asLong());
        assertEquals(JSON.readTree("{\"higher_priority\":6,\"same_priority\":1,\"same_cluster\":1}"),
                payload.get("ahead"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                | /1            | {queue_type                                                  | the body is not valid JSON
            a JSON array            | /1            | []                                                           | the body must be a JSON object
            no queue_type           | /1            | {"operation_type":"MOVE_TOP"}                                | queue_type is required
            unknown queue_type      | /1            | {"queue_type":"GPU","operation_type":"MOVE_TOP"}             | queue_type 'GPU' is not
            queue_type a number     | /1            | {"queue_type":1,"operation_type":"MOVE_TOP"}                 | queue_type must be a string
            no operation_type       | /1            | {"queue_type":"PROCESSOR"}                                   | operation_type is required
            unknown operation_type  | /1            | {"queue_type":"PROCESSOR","operation_type":"MOVE_LEFT"}      | operation_type 'MOVE_LEFT' is not
            id not a number         | /abc          | {"queue_type":"PROCESSOR","operation_type":"MOVE_TOP"}       | id 'abc' is not an integer
            no ids                  | /batch-update | {"priority":1,"queue_type":"PROCESSOR"}                      | ids must be an array of 1..50
            empty ids               | /batch-update | {"ids":[],"priority":1,"queue_type":"PROCESSOR"}             | ids must be an array of 1..50
            ids not numbers         | /batch-update | {"ids":["1"],"priority":1,"queue_type":"PROCESSOR"}          | ids must hold integers
            no priority             | /batch-update | {"ids":[1],"queue_type":"PROCESSOR"}                         | priority must be an integer -50..50
            priority 51             | /batch-update | {"ids":[1],"priority":51,"queue_type":"PROCESSOR"}           | priority must be an integer -50..50
            priority -51            | /batch-update | {"ids":[1],"priority":-51,"queue_type":"PROCESSOR"}          | priority must be an integer -50..50
            priority a fraction     | /batch-update | {"ids":[1],"priority":1.5,"queue_type":"PROCESSOR"}          | priority must be an integer -50..50
            a move body for batch   | /batch-update | {"queue_type":"PROCESSOR","operation_type":"MOVE_TOP"}       | ids must be an array of 1..50
            """)
    void rejectsABadBodyNamingTheFieldAndTheRule(String name, String path, String body, String message) throws IOException {
        HttpResponse<String> response = put(path, body);
        assertError(response, 400, "octopus.400000");
        String errorMsg = JSON.readTree(response.body()).get("error_msg").asText();
        assertTrue(errorMsg.startsWith(message), errorMsg);
    }

    @Test
    void rejectsMoreThan50Ids() throws IOException {
        String ids = String.join(",", java.util.stream.IntStream.rangeClosed(1, 51).mapToObj(Integer::toString).toList());
        assertError(put("/batch-update", "{\"ids\":[" + ids + "],\"priority\":1,\"queue_type\":\"PROCESSOR\"}"),
                400, "octopus.400000");
    }

    @Test
    void asksForJsonContent() throws IOException {
        HttpResponse<String> response = http.send("PUT", BASE + "/1", OPS, "text/plain",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
        assertError(response, 400, "octopus.400000");
        assertTrue(response.body().contains("Content-Type must be application/json"));
        assertError(http.send("PUT", BASE + "/1", OPS, null, "{}"), 400, "octopus.400000");
        assertEquals(200, http.send("PUT", BASE + "/1", OPS, "application/json; charset=utf-8",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TAIL\"}").statusCode());
    }

    @Test
    void writesNeedTheUpdateActionAndReadsTheListAction() throws IOException {
        String move = "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}";
        assertError(http.send("PUT", BASE + "/2", READER, "application/json", move), 403, "octopus.400003");
        assertError(http.send("PUT", "/v1.0/q/data/queuing-jobs/2", WRITER, "application/json", move), 403, "octopus.400003");
        assertError(http.send("PUT", BASE + "/2", null, "application/json", move), 401, "octopus.400001");
        assertEquals(200, http.send("PUT", BASE + "/2", WRITER, "application/json", move).statusCode());
        assertError(http.get(BASE + "/2?queue_type=PROCESSOR", WRITER), 403, "octopus.400003");
    }

    @Test
    void batchUpdateIsNeverTakenForAnId() throws IOException {
        assertError(http.get(BASE + "/batch-update?queue_type=PROCESSOR", OPS), 405, "octopus.400005");
        assertError(http.send("POST", BASE + "/batch-update", OPS, "application/json", "{}"), 405, "octopus.400005");
        assertError(http.send("DELETE", BASE + "/1", OPS, null, null), 405, "octopus.400005");
    }

    @Test
    void everyWriteCallAppliedOrRefusedIsOnTheAuditTrailOnceWithWhoAskedAndWhatChanged() throws IOException {
        driver.audit(); // what the setup wrote
        assertEquals(200, http.send("PUT", BASE + "/3", OPS, "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}").statusCode());
        assertEquals(404, http.send("PUT", BASE + "/batch-update", OPS, "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"ids\":[1,77],\"priority\":9}").statusCode());
        assertEquals(403, http.send("PUT", BASE + "/3", READER, "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TAIL\"}").statusCode());
        assertEquals(401, http.send("PUT", BASE + "/3", null, "application/json", "{}").statusCode());
        assertEquals(400, http.send("PUT", BASE + "/batch-update", OPS, "application/json", "{\"ids\":[]}").statusCode());

        List<JsonNode> applied = new ArrayList<>();
        for (var record : driver.audit()) {
            applied.add(JSON.readTree(record.value));
        }
        assertEquals(2, applied.size(), applied.toString());
        JsonNode move = applied.get(0);
        assertEquals("ops", move.get("requested_by").asText());
        assertEquals("MOVE", move.get("call").asText());
        assertEquals("MOVE_TOP", move.get("operation_type").asText());
        assertEquals("APPLIED", move.get("outcome").asText());
        assertEquals(3, move.at("/changed/0/id").asLong(), move.toString());
        JsonNode batch = applied.get(1);
        assertEquals("NOT_FOUND", batch.get("outcome").asText());
        assertEquals(0, batch.get("changed").size());

        List<RefusedWrite> refused = driver.refused();
        assertEquals(3, refused.size(), refused.toString());
        assertEquals(List.of("reader 403 MOVE", "unauthenticated 401 MOVE", "ops 400 SET_PRIORITY"), refused.stream()
                .map(r -> r.requestedBy() + " " + r.status() + " " + r.call()).toList());
        assertTrue(refused.stream().allMatch(r -> "p".equals(r.projectId())));
    }

    @Test
    void aCommandNotAppliedInTimeIsA503ThatSaysItWasAccepted() throws IOException {
        try (ApiFixture slow = new ApiFixture(driver, command -> {
            throw new CommandPending("the command was accepted (queue-commands partition 0 offset 7) but is not applied yet");
        }, Files.createDirectories(api.dataDir().resolve("slow")))) {
            HttpResponse<String> response = slow.http().send("PUT", BASE + "/1", OPS, "application/json",
                    "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TAIL\"}");
            assertError(response, 503, "octopus.400103");
            assertTrue(response.body().contains("accepted"), response.body());
            assertTrue(response.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void aKafkaThatDoesNotAcknowledgeIsA503ThatSaysSoLoggedOnceWithItsCauseAndNeverTheToken() throws IOException {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ApiFixture unreachable = new ApiFixture(driver, command -> {
            throw new KafkaUnavailable("Kafka did not acknowledge the command within 5000 ms (is the broker reachable?)",
                    new TimeoutException("Expiring 1 record(s) for queue-commands-0"));
        }, Files.createDirectories(api.dataDir().resolve("unreachable")))) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // the log goes to System.err
            HttpResponse<String> response = unreachable.http().send("PUT", BASE + "/1", OPS, "application/json",
                    "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TAIL\"}");
            assertError(response, 503, "octopus.400103");
            assertTrue(response.body().contains("Kafka did not acknowledge"), response.body());
            assertFalse(response.body().contains("Expiring"), "the cause is for the log, not the caller");
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, logged.lines().filter(line -> line.contains("answered 503")).count(), logged);
        assertTrue(logged.contains("Expiring 1 record(s)"), "the cause is logged: " + logged);
        assertFalse(logged.contains(OPS), "the token is never logged");
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).get("error_code").asText());
    }
}
