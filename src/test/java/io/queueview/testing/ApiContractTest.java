package io.queueview.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The contract check catches drift: answers the server gives pass, and each kind of change from them is named. */
class ApiContractTest {

    private static final String LIST = "/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR";
    private static final String ENTRY = "{\"id\":1,\"job_id\":7,\"processor_name\":\"lane\",\"rank_stamp\":5,"
            + "\"project_id\":\"p\",\"priority\":3,\"queue_type\":\"PROCESSOR\"}";
    private static final String META = "\"meta_info\":{\"current_time\":\"2022-01-01T08:08:29Z\",\"view\":{\"lag\":0}}";
    private static final Function<String, Optional<String>> JSON_TYPE = headers(Map.of("content-type",
            "application/json"));

    private final ApiContract contract = ApiContract.get();

    @Test
    void aListAnswerAsTheServerGivesItPasses() {
        assertEquals(List.of(), violations("GET", LIST, 200, JSON_TYPE, list(ENTRY)));
    }

    @Test
    void aRenamedFieldIsNamed() {
        assertViolation(violations("GET", LIST, 200, JSON_TYPE, list(ENTRY.replace("job_id", "jobId"))),
                "jobId");
    }

    @Test
    void aNullInsteadOfALeftOutFieldIsNamed() {
        assertViolation(violations("GET", LIST, 200, JSON_TYPE,
                list(ENTRY.replace("\"rank_stamp\"", "\"data_id\":null,\"rank_stamp\""))), "data_id");
    }

    @Test
    void aProcessorFieldOnAnInternalEntryIsRefused() {
        String internal = ENTRY.replace("PROCESSOR", "INTERNAL");
        assertViolation(violations("GET", LIST, 200, JSON_TYPE, list(internal)), "processor_name");
    }

    @Test
    void anAcceptedRequestOutsideTheDocumentedRangesIsNamed() {
        assertViolation(violations("GET", LIST + "&limit=500", 200, JSON_TYPE, list(ENTRY)), "limit");
        assertViolation(violations("GET", "/v1.0/p/data/queuing-jobs", 200, JSON_TYPE, list(ENTRY)),
                "the required parameter queue_type");
        assertViolation(contract.violations(new ApiContract.Call("PUT", "/v1.0/p/data/queuing-jobs/batch-update",
                "{\"ids\":[1],\"priority\":99,\"queue_type\":\"PROCESSOR\"}"), new ApiContract.Answer(200, JSON_TYPE,
                "{\"payload\":{\"queue_type\":\"PROCESSOR\",\"ids\":[1],\"priority\":99}," + META + "}")),
                "the request body");
    }

    @Test
    void aStatusTheOperationDoesNotDocumentIsNamed() {
        assertViolation(violations("GET", LIST, 409, JSON_TYPE, error("octopus.400009")),
                "409 is not documented for GET listQueuedJobs");
    }

    @Test
    void aWrongErrorCodeForTheStatusIsNamed() {
        assertViolation(violations("GET", "/v1.0/p/data/queuing-jobs/1?queue_type=PROCESSOR", 404, JSON_TYPE,
                error("octopus.400000")), "error_code");
    }

    @Test
    void a503WithoutRetryAfterIsNamed() {
        assertViolation(violations("GET", LIST, 503, JSON_TYPE, error("octopus.400103")), "Retry-After");
        assertEquals(List.of(), violations("GET", LIST, 503,
                headers(Map.of("content-type", "application/json", "retry-after", "1")), error("octopus.400103")));
    }

    @Test
    void anErrorInAnotherMediaTypeIsNamed() {
        assertViolation(violations("GET", LIST, 401, headers(Map.of("content-type", "text/html")),
                error("octopus.400001")), "Content-Type");
    }

    @Test
    void aPathNoOperationServesMayOnlyGetADocumentedError() {
        assertEquals(List.of(), violations("POST", LIST, 405, JSON_TYPE, error("octopus.400005")));
        assertViolation(violations("GET", "/v1.0/p/data/other", 200, JSON_TYPE, "{}"),
                "no operation of the contract serves GET");
    }

    private List<String> violations(String method, String target, int status,
                                    Function<String, Optional<String>> headers, String body) {
        return contract.violations(new ApiContract.Call(method, target, null),
                new ApiContract.Answer(status, headers, body));
    }

    private static String list(String entry) {
        return "{\"payload\":{\"list\":[" + entry + "],\"page_info\":{\"offset\":0,\"limit\":10,\"total\":1}}," + META
                + "}";
    }

    private static String error(String code) {
        return "{\"error_code\":\"" + code + "\",\"error_msg\":\"why\"}";
    }

    private static Function<String, Optional<String>> headers(Map<String, String> headers) {
        return name -> Optional.ofNullable(headers.get(name));
    }

    private static void assertViolation(List<String> violations, String naming) {
        assertTrue(violations.stream().anyMatch(violation -> violation.contains(naming)),
                "a violation naming '" + naming + "' among " + violations);
    }
}
