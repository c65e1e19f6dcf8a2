package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.ApiFixture.WRITER;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.http.error.ApiError;
import io.queueview.query.Filters;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded fuzz of the HTTP API: thousands of generated requests over every route, method, parameter, header and
 * body shape — valid ones mutated byte by byte, bad escapes, huge and negative numbers, duplicated parameters,
 * every token, page tokens issued and forged, broken JSON — sent as raw bytes. No answer is a 5xx; every error under /v1.0 is the API's error body;
 * no answer names a class or shows a stack frame; and the service answers correctly afterwards.
 */
class RequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEED = 20_261_130L;
    private static final int REQUESTS = 3_000;
    private static final String[] METHODS = {"GET", "GET", "GET", "PUT", "PUT", "HEAD", "POST", "DELETE", "OPTIONS",
        "PATCH", "TRACE", "BREW"};
    private static final String[] PROJECTS = {"p", "q", "", "%u0041", "%zz", "a%2Fb", "..", "%2E", "p%20p", "%C3%A9",
        "%FF%FE", "p".repeat(65), "p".repeat(64), "%00", "%0D%0A", "*", "p;x=1"};
    private static final String[] TAILS = {"", "/", "/1", "/2", "/-1", "/99999999999999999999", "/batch-update", "/abc",
        "/1/2", "/%u0031", "/1.5", "/0x10", "//", "/batch-update/1"};
    private static final String[] PARAMS = {"queue_type", "job_id", "output_type", "job_type", "data_id",
        "processor_name", "cluster_type", "cluster_id", "limit", "offset", "page_token", "page_token", "x"};
    /**
     * page_token values: tokens the API gives out (for p's PROCESSOR queue, unfiltered and filtered, and at the
     * edges of the order), forged ones (another version, a priority out of range, too short or long, padded, the
     * standard alphabet's + and /), and any other value.
     */
    private static final String[] PAGE_TOKENS = {
        token(new OrderKey(0, 1_000_001, 1), Filters.NONE), token(new OrderKey(50, Long.MIN_VALUE, Long.MIN_VALUE),
            Filters.NONE), token(new OrderKey(-50, Long.MAX_VALUE, Long.MAX_VALUE), Filters.NONE),
        token(new OrderKey(3, 1_000_003, 3), new Filters(null, "DATA_MARK", null, null, null, null, null)),
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AX8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AQ+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQ/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQ%2FAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "A".repeat(4_000), "%F0%9F%98%80".repeat(6), "null", "{}"};
    private static final String[] VALUES = {"PROCESSOR", "INTERNAL", "RESIM", "processor", "", "0", "-1", "1", "200",
        "201", "2147483648", "99999999999999999999", "1e3", "DATA_MARK", "CCE", "MODELARTS", "%zz", "%u0041", "%00",
        "a%26b", "%E2%82%AC", "+", "x".repeat(300)};
    private static final String[] TOKENS = {OPS, READER, WRITER, null, "", "nope", "ops-token ", "Bearer x",
        "x".repeat(5_000), "é"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "text/plain",
        null, "", "application/jsonx", "APPLICATION/JSON"};
    private static final String[] BODIES = {"{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}",
        "{\"queue_type\":\"PROCESSOR\",\"ids\":[1,2],\"priority\":5}", "{}", "[]", "null", "", "{", "{\"ids\":",
        "{\"queue_type\":\"PROCESSOR\",\"ids\":[1e400],\"priority\":5}", "{\"queue_type\":1,\"operation_type\":[]}",
        "{\"queue_type\":\"PROCESSOR\",\"ids\":[" + "1,".repeat(60) + "1],\"priority\":5}",
        "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\",\"operation_type\":\"MOVE_TAIL\"}",
        "[".repeat(10_000), "{\"queue_type\":\"PROCESSOR\",\"ids\":[1],\"priority\":99999999999999999999}",
        "\u0000\u0001\u0002", "{\"a\":\"\uD800\"}"};

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();

    @Test
    void noRequestGetsA5xxAnErrorOffTheContractOrAStackTraceAndTheServiceStillAnswers() throws IOException {
        for (int id = 1; id <= 5; id++) {
            api.driver().send(enqueued("p", "PROCESSOR", id).with("priority", id));
        }
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            byte[] request = request(random);
            RawHttp.Answer answer;
            try {
                answer = RawHttp.send(api.port(), request);
            } catch (IOException closed) { // a connection the server closed without an answer: not an answer at all
                statuses.merge(0, 1, Integer::sum);
                continue;
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            String problem = problem(request, answer);
            if (problem != null && failures.size() < 10) {
                failures.add(problem + " <- " + new String(request, 0, Math.min(request.length, 200),
                        StandardCharsets.ISO_8859_1).replace("\r\n", "\\r\\n"));
            }
        }
        System.out.println("RequestFuzzTest: " + REQUESTS + " requests (seed " + SEED + "), statuses " + statuses);
        assertTrue(failures.isEmpty(), String.join("\n", failures));

        // and afterwards the service answers as before
        JsonNode page = JSON.readTree(api.http().get("/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR", OPS).body());
        assertEquals(5, page.at("/payload/page_info/total").asLong(), page.toString());
    }

    /** What is wrong with an answer, or null. */
    private static String problem(byte[] request, RawHttp.Answer answer) {
        if (answer.status() >= 500) {
            return "a " + answer.status();
        }
        String body = answer.body();
        String target = new String(request, StandardCharsets.ISO_8859_1).split(" ", 3)[1];
        if (answer.status() == 200 && (target.equals("/") || target.startsWith("/?"))
                && answer.headers().getOrDefault("content-type", "").startsWith("text/html")) {
            return null; // the queue page: the one answer that is HTML by design
        }
        if (body.contains("Exception") || body.contains("\tat ") || body.contains("at io.") || body.contains("java.")
                || body.contains("<html")) {
            return "a class name, a stack frame or HTML in " + body;
        }
        boolean head = new String(request, 0, 4, StandardCharsets.ISO_8859_1).equals("HEAD");
        if (answer.status() >= 400 && !head) {
            try {
                JsonNode error = JSON.readTree(body);
                if (error == null || !error.path("error_code").asText().equals(ApiError.codeOf(answer.status()))
                        || !error.path("error_msg").isTextual() || error.size() != 2) {
                    return "not the API's error body for " + answer.status() + ": " + body;
                }
            } catch (IOException notJson) {
                return "not JSON for " + answer.status() + ": " + body;
            }
        }
        return null;
    }

    private static byte[] request(Random random) {
        String method = pick(random, METHODS);
        StringBuilder target = new StringBuilder();
        if (random.nextInt(20) == 0) {
            target.append(pick(random, new String[] {"/", "/health/ready", "/health/live", "/health/cluster", "/v1.0",
                "/v1.0/p", "*", "/v1.0/p/data/queuing-jobs/../../x"}));
        } else {
            target.append("/v1.0/").append(pick(random, PROJECTS)).append("/data/queuing-jobs").append(pick(random, TAILS));
        }
        int params = random.nextInt(5);
        for (int p = 0; p < params; p++) {
            String param = pick(random, PARAMS);
            String value = param.equals("page_token") && random.nextInt(4) > 0 ? pick(random, PAGE_TOKENS)
                    : pick(random, VALUES);
            target.append(p == 0 ? '?' : '&').append(param).append('=').append(value);
        }
        if (random.nextInt(10) == 0) {
            target.append(random.nextBoolean() ? "&&==" : "?%");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        String token = pick(random, TOKENS);
        if (token != null) {
            write(out, (random.nextInt(4) == 0 ? "Authorization: Bearer " : "X-Auth-Token: ") + token + "\r\n");
        }
        if (random.nextInt(8) == 0) {
            write(out, pick(random, new String[] {"X-Auth-Token: a\r\nX-Auth-Token: b\r\n", "Content-Length: -1\r\n",
                "Transfer-Encoding: chunked\r\n", "X-Queueview-Forwarded-By: 127.0.0.1:1\r\n", "Expect: 100-continue\r\n",
                "Accept-Encoding: gzip\r\n", "Connection: close\r\n"}));
        }
        byte[] body = random.nextInt(3) == 0 && !method.equals("GET") ? new byte[0]
                : mutate(random, pick(random, BODIES).getBytes(StandardCharsets.UTF_8));
        if (method.equals("GET") || method.equals("HEAD")) {
            body = new byte[0];
        }
        String contentType = pick(random, CONTENT_TYPES);
        if (contentType != null) {
            write(out, "Content-Type: " + contentType + "\r\n");
        }
        write(out, "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Sometimes a few bytes of the body are flipped to anything. */
    private static byte[] mutate(Random random, byte[] body) {
        if (body.length > 0 && random.nextInt(4) == 0) {
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
        }
        return body;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A token as the API gives out, for p's PROCESSOR queue with these filters. */
    private static String token(OrderKey after, Filters filters) {
        return new PageToken(after, PageToken.binding(new QueueId("p", QueueType.PROCESSOR), filters)).text();
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
