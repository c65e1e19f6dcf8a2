package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list call's page_token over HTTP: pages that continue after the last entry of the page before, by its place in
 * queue order, so entries coming and going between pages never make a page repeat or skip one that stayed; tokens
 * bound to their queue and filters; every bad token a 400.
 */
class PageTokenCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final String LIST = "/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR";

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();
    private ProjectorDriver driver;
    private long nextId = 1;

    @BeforeEach
    void start() {
        driver = api.driver();
    }

    /**
     * Each filter shape the list serves differently: the whole queue; an indexed filter (a walk of its index); a
     * counted one (a walk of the queue, total read); and one whose total is counted along a walk from the head.
     */
    @ParameterizedTest(name = "filters ''{0}''")
    @ValueSource(strings = {"", "&data_id=D1", "&output_type=DATA_MARK", "&cluster_id=c1",
        "&data_id=D1&cluster_type=CCE&cluster_id=c1"})
    void pagesThroughAQueueWhileEntriesComeAndGoSeeingEveryEntryThatStayedOnceInOrder(String filters) throws IOException {
        Random random = new Random(14);
        for (int i = 0; i < 300; i++) {
            enqueue(random);
        }
        Set<Long> atStart = new HashSet<>(driver.ids(QUEUE));
        Set<Long> removed = new HashSet<>();
        List<Long> seen = new ArrayList<>();
        long lastSeen = -1;
        JsonNode page = ok(LIST + filters + "&limit=7");
        for (int pages = 0; ; pages++) {
            assertTrue(pages < 500, "the paging ends");
            for (JsonNode entry : page.at("/payload/list")) {
                seen.add(entry.get("id").asLong());
                lastSeen = entry.get("id").asLong();
            }
            JsonNode next = page.at("/payload/page_info/next_page_token");
            if (next.isMissingNode()) {
                break;
            }
            // between pages: new entries anywhere in the order, removals anywhere — the last entry seen too
            for (int i = 0; i < 6; i++) {
                enqueue(random);
            }
            List<Long> queued = driver.ids(QUEUE);
            for (int i = 0; i < 4; i++) {
                long id = i == 0 && random.nextBoolean() ? lastSeen : queued.get(random.nextInt(queued.size()));
                if (removed.add(id)) {
                    driver.send(dequeued("p", "PROCESSOR", id));
                }
            }
            page = ok(LIST + filters + "&limit=" + (1 + random.nextInt(12)) + "&page_token=" + next.asText());
        }

        assertEquals(seen.size(), new LinkedHashSet<>(seen).size(), "no entry seen twice: " + seen);
        List<Long> matching = idsMatching(filters);
        List<Long> stayed = matching.stream().filter(atStart::contains).filter(id -> !removed.contains(id)).toList();
        assertFalse(stayed.isEmpty());
        // every entry that stayed, once, in queue order (the ones added meanwhile may or may not be among them)
        assertEquals(stayed, seen.stream().filter(stayed::contains).toList());
        assertEquals(matching.size(), page.at("/payload/page_info/total").asLong(), "total counts every match");
    }

    @Test
    void thePageAfterATokenSaysNoOffsetAndTheLastPageNoToken() throws IOException {
        for (int i = 0; i < 5; i++) {
            driver.send(enqueued("p", "PROCESSOR", nextId++));
        }
        JsonNode first = ok(LIST + "&limit=2").at("/payload/page_info");
        assertEquals(0, first.get("offset").asInt());
        String token = first.get("next_page_token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{35}"), token);

        JsonNode second = ok(LIST + "&limit=3&page_token=" + token).at("/payload");
        assertEquals(List.of(3L, 4L, 5L), ids(second));
        assertEquals(JSON.readTree("{\"limit\":3,\"total\":5}"), second.get("page_info"));
        // an offset page that reaches the end has no token either
        assertFalse(ok(LIST + "&offset=3").at("/payload/page_info").has("next_page_token"));
    }

    @Test
    void aTokenOfTheLastEntryOfTheQueueGivesAnEmptyPageAfterItsEntryLeft() throws IOException {
        for (int i = 0; i < 3; i++) {
            driver.send(enqueued("p", "PROCESSOR", nextId++));
        }
        String token = ok(LIST + "&limit=2").at("/payload/page_info/next_page_token").asText();
        driver.send(dequeued("p", "PROCESSOR", 1), dequeued("p", "PROCESSOR", 2), dequeued("p", "PROCESSOR", 3));
        JsonNode after = ok(LIST + "&page_token=" + token).at("/payload");
        assertEquals(List.of(), ids(after));
        assertEquals(0, after.at("/page_info/total").asLong());
    }

    @Test
    void offsetAndPageTokenTogetherAreA400() throws IOException {
        for (int i = 0; i < 3; i++) {
            driver.send(enqueued("p", "PROCESSOR", nextId++));
        }
        String token = ok(LIST + "&limit=1").at("/payload/page_info/next_page_token").asText();
        assertBadRequest(LIST + "&offset=0&page_token=" + token, "offset and page_token cannot be combined");
        assertBadRequest(LIST + "&offset=2&page_token=" + token, "offset and page_token cannot be combined");
        assertBadRequest(LIST + "&page_token=" + token + "&page_token=" + token, "page_token is given 2 times");
        // empty counts as absent, as for every parameter
        assertEquals(2, ids(ok(LIST + "&offset=&page_token=" + token).get("payload")).size());
        assertEquals(3, ids(ok(LIST + "&page_token=").get("payload")).size());
    }

    @Test
    void aTokenIsBoundToItsProjectQueueTypeAndFilters() throws IOException {
        for (int i = 0; i < 4; i++) {
            driver.send(enqueued("p", "PROCESSOR", nextId++).with("data_id", "D").with("cluster_type", "CCE")
                    .with("cluster_id", "c"));
            driver.send(enqueued("q", "PROCESSOR", nextId++).with("data_id", "D"));
            driver.send(enqueued("p", "RESIM", nextId++).with("data_id", "D"));
        }
        String token = ok(LIST + "&data_id=D&cluster_id=c&limit=1").at("/payload/page_info/next_page_token").asText();
        String bound = "page_token was issued for another queue or other filters";
        assertBadRequest("/v1.0/q/data/queuing-jobs?queue_type=PROCESSOR&data_id=D&cluster_id=c&page_token=" + token,
                bound);
        assertBadRequest("/v1.0/p/data/queuing-jobs?queue_type=RESIM&data_id=D&cluster_id=c&page_token=" + token, bound);
        assertBadRequest(LIST + "&data_id=E&cluster_id=c&page_token=" + token, bound);
        assertBadRequest(LIST + "&data_id=D&page_token=" + token, bound);
        assertBadRequest(LIST + "&data_id=D&cluster_id=c&cluster_type=CCE&page_token=" + token, bound);
        assertBadRequest(LIST + "&page_token=" + token, bound);
        // the same filters in another order, an empty parameter and another limit are the same call
        assertEquals(3, ids(ok(LIST + "&cluster_id=c&job_type=&data_id=D&limit=50&page_token=" + token)
                .get("payload")).size());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"x", "AQ", "====", "%00", "%FF%FE", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "AQ+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQ/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQ%2BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AX8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
        "%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC%E2%82%AC"})
    void aMalformedTokenIsA400NeverA500(String token) throws IOException {
        driver.send(enqueued("p", "PROCESSOR", 1));
        HttpResponse<String> response = api.http().get(LIST + "&page_token=" + token, OPS);
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("octopus.400000", body.get("error_code").asText());
        assertTrue(body.get("error_msg").asText().startsWith("page_token"), body.toString());
    }

    @Test
    void aTokenOfAValidShapeButAnyPlaceWorksOnItsQueue() throws IOException {
        // forged, not issued: it only seeks this queue from elsewhere, as an offset could
        for (int i = 0; i < 4; i++) {
            driver.send(enqueued("p", "PROCESSOR", nextId++).with("priority", i));
        }
        String token = new PageToken(new io.queueview.queue.OrderKey(2, Long.MAX_VALUE, Long.MAX_VALUE),
                PageToken.binding(QUEUE, io.queueview.query.Filters.NONE)).text();
        assertEquals(List.of(2L, 1L), ids(ok(LIST + "&page_token=" + token).get("payload")));
    }

    private void enqueue(Random random) {
        EventJson event = enqueued("p", "PROCESSOR", nextId++).with("priority", random.nextInt(3) - 1)
                .with("rank_stamp", random.nextInt(1_000)).with("data_id", "D" + random.nextInt(3))
                .with("output_type", random.nextBoolean() ? "DATA_MARK" : "DATA_SET");
        if (random.nextBoolean()) {
            event.with("cluster_type", "CCE").with("cluster_id", "c" + random.nextInt(2));
        }
        driver.send(event);
    }

    /** The ids of the queue that match the call's filters now, in queue order: read through the API at once. */
    private List<Long> idsMatching(String filters) throws IOException {
        List<Long> ids = new ArrayList<>();
        JsonNode page;
        do {
            page = ok(LIST + filters + "&limit=200&offset=" + ids.size()).get("payload");
            ids.addAll(ids(page));
        } while (ids.size() < page.at("/page_info/total").asLong());
        return ids;
    }

    private JsonNode ok(String pathAndQuery) throws IOException {
        HttpResponse<String> response = api.http().get(pathAndQuery, OPS);
        assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private void assertBadRequest(String pathAndQuery, String message) throws IOException {
        HttpResponse<String> response = api.http().get(pathAndQuery, OPS);
        assertEquals(400, response.statusCode(), pathAndQuery + ": " + response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("octopus.400000", body.get("error_code").asText());
        assertTrue(body.get("error_msg").asText().startsWith(message), body.toString());
    }

    private static List<Long> ids(JsonNode... payloads) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode payload : payloads) {
            assertNotNull(payload);
            payload.get("list").forEach(entry -> ids.add(entry.get("id").asLong()));
        }
        return ids;
    }
}
