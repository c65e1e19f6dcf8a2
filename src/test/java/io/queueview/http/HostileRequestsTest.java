package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.http.error.ApiError;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.RawHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no well-behaved client sends, as raw bytes: every answer is the API's error body with a status of the
 * contract's family, never a 500, Jetty's HTML page, or an answer without the checks GET makes.
 */
class HostileRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = "/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR";

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();

    @BeforeEach
    void fill() {
        api.driver().send(enqueued("p", "PROCESSOR", 1), enqueued("p", "PROCESSOR", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1.0/%u0041/data/queuing-jobs?queue_type=PROCESSOR",
        "PUT /v1.0/p/data/queuing-jobs/%u0031", "GET /v1.0/p/data/queuing-jobs/1%", "HEAD /v1.0/%4/data/queuing-jobs"})
    void aMalformedEscapeInThePathIsA400BeforeAuthentication(String requestLine) throws IOException {
        RawHttp.Answer answer = RawHttp.send(api.port(), requestLine + " HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
        assertEquals(400, answer.status(), answer.toString());
        if (!requestLine.startsWith("HEAD")) {
            assertApiError(answer, "octopus.400000");
        }
    }

    @Test
    void headIsGetWithoutTheBodySameStatusSameChecks() throws IOException {
        for (String[] call : new String[][] {{LIST, null}, {LIST, "unknown"}, {"/v1.0/q/data/queuing-jobs?queue_type=PROCESSOR",
            READER}, {LIST, OPS}, {"/v1.0/p/data/queuing-jobs/2?queue_type=PROCESSOR", OPS},
            {"/v1.0/p/data/queuing-jobs/9?queue_type=PROCESSOR", OPS}, {"/health/ready", null}, {"/health/live", null}}) {
            String headers = "Host: a\r\n" + (call[1] == null ? "" : "X-Auth-Token: " + call[1] + "\r\n") + "\r\n";
            RawHttp.Answer get = RawHttp.send(api.port(), "GET " + call[0] + " HTTP/1.1\r\n" + headers);
            RawHttp.Answer head = RawHttp.send(api.port(), "HEAD " + call[0] + " HTTP/1.1\r\n" + headers);
            assertEquals(get.status(), head.status(), call[0] + " with " + call[1]);
            assertEquals(get.headers().get("content-type"), head.headers().get("content-type"), call[0]);
            assertEquals("", head.body());
        }
    }

    @Test
    void jettysOwnRefusalsCarryTheApiErrorBody() throws IOException {
        Map<String, Integer> expected = new TreeMap<>(Map.of(
                "GET /v1.0/%zz/data/queuing-jobs HTTP/1.1\r\nHost: a\r\n\r\n", 400,
                "GET " + LIST + " HTTP/1.1\r\nHost: a\r\nX-Bad\u0001: v\r\n\r\n", 400,
                "GET " + LIST + "&x=" + "y".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414,
                "GET " + LIST + " HTTP/1.1\r\nHost: a\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n", 431,
                "PUT /v1.0/p/data/queuing-jobs/1 HTTP/1.1\r\nHost: a\r\nX-Auth-Token: " + OPS + "\r\nContent-Type: "
                        + "application/json\r\nContent-Length: 100000\r\n\r\n" + "{".repeat(100_000), 413,
                "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n", 404,
                "BREW " + LIST + " HTTP/1.1\r\nHost: a\r\n\r\n", 405));
        for (Map.Entry<String, Integer> request : expected.entrySet()) {
            RawHttp.Answer answer = RawHttp.send(api.port(), request.getKey());
            String what = request.getKey().substring(0, Math.min(40, request.getKey().length()));
            assertEquals(request.getValue(), answer.status(), what);
            assertApiError(answer, ApiError.codeOf(request.getValue()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%2Fb", "..", "%2E%2E", ".", "%2E", "a%00b", "%0A"})
    void aProjectIdNoEventCouldCarryIsA400(String segment) throws IOException {
        RawHttp.Answer answer = RawHttp.send(api.port(), "GET /v1.0/" + segment + "/data/queuing-jobs?queue_type=PROCESSOR"
                + " HTTP/1.1\r\nHost: a\r\nX-Auth-Token: " + OPS + "\r\n\r\n");
        assertEquals(400, answer.status(), segment + ": " + answer);
        assertApiError(answer, "octopus.400000");
    }

    @Test
    void aProjectIdLongerThanAnEventsIsA400() throws IOException {
        RawHttp.Answer answer = RawHttp.send(api.port(), "GET /v1.0/" + "p".repeat(65) + "/data/queuing-jobs?queue_type="
                + "PROCESSOR HTTP/1.1\r\nHost: a\r\nX-Auth-Token: " + OPS + "\r\n\r\n");
        assertEquals(400, answer.status());
        assertApiError(answer, "octopus.400000");
    }

    @Test
    void aClientSendingItsHeadersAByteAtATimeIsCutOffAfterTheHeaderDeadline() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", api.port())) {
            slow.setSoTimeout(200); // real time, for Jetty to read each byte and for a close to arrive
            OutputStream out = slow.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int cutOffAfter = 0;
            for (int second = 1; second <= 20 && cutOffAfter == 0; second++) { // a byte a second, for 20 s
                api.time().advance(Duration.ofSeconds(1));
                if (closedWithoutAnAnswer(slow)) {
                    cutOffAfter = second;
                } else {
                    out.write('x');
                    out.flush();
                }
            }
            // 10 s past the sweep that found the head begun (the one at 1 s, or a later one when a busy machine
            // lets Jetty read the head late), seen at that sweep or the next
            assertTrue(cutOffAfter > 0, "not cut off within 20 s");
            assertTrue(cutOffAfter > 10, "cut off after " + cutOffAfter + " s, before the deadline");
        }
    }

    /** Whether the server closed the connection; fails when it answered instead. */
    private static boolean closedWithoutAnAnswer(Socket socket) throws IOException {
        try {
            int read = socket.getInputStream().read();
            assertTrue(read < 0, "an answer instead of a close");
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    static void assertApiError(RawHttp.Answer answer, String code) throws IOException {
        assertTrue(answer.headers().getOrDefault("content-type", "").startsWith("application/json"), answer.toString());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(code, body.path("error_code").asText(), answer.body());
        assertTrue(body.path("error_msg").isTextual(), answer.body());
        assertEquals(2, body.size(), answer.body());
        assertFalse(answer.body().contains("Exception") || answer.body().contains("at io.") || answer.body().contains("<html"),
                answer.body());
    }
}
