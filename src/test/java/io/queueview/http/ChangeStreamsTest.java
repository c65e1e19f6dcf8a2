package io.queueview.http;

import static io.queueview.testing.ApiFixture.OPS;
import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.ApiFixture.WRITER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.changes.ChangeLog;
import io.queueview.changes.QueueChange;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET .../changes over HTTP, fed by hand through the server's change log (ChangeStreamIT feeds it from Kafka). */
class ChangeStreamsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHANGES = "/v1.0/p/data/queuing-jobs/changes?queue_type=PROCESSOR";
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();
    private ChangeLog log;
    private int partition;

    @BeforeEach
    void startTheFeed() {
        log = api.changes();
        partition = log.partitionOf(QUEUE);
        log.startAt(partition, 40);
    }

    @Test
    void aStreamSaysItIsReadyThenSendsEachChangeOfItsQueueWithWhereToResume() throws Exception {
        try (EventStream stream = EventStream.open(api.port(), CHANGES, READER, null)) {
            assertEquals(200, stream.status());
            assertEquals("text/event-stream;charset=utf-8",
                    stream.response().headers().firstValue("Content-Type").orElse(""));
            EventStream.Event ready = stream.next(WAIT);
            assertEquals("ready", ready.name());
            assertEquals(partition + ":40", ready.id());
            assertEquals("{\"project_id\":\"p\",\"queue_type\":\"PROCESSOR\",\"resumed\":false}", ready.data());
            append(new QueueId("p", QueueType.RESIM), 40); // another queue of the project: not this stream's
            append(QUEUE, 41);
            EventStream.Event change = stream.next(WAIT);
            assertEquals("change", change.name());
            assertEquals(partition + ":42", change.id());
            assertEquals(41, JSON.readTree(change.data()).get("n").asInt());
        }
    }

    @Test
    void aStreamReopenedWithLastEventIdGetsWhatItMissedAndOneTooOldIsToldToReload() throws Exception {
        for (long offset = 40; offset < 45; offset++) {
            append(QUEUE, offset);
        }
        try (EventStream stream = EventStream.open(api.port(), CHANGES, READER, partition + ":43")) {
            EventStream.Event ready = stream.next(WAIT);
            assertEquals("ready", ready.name());
            assertTrue(JSON.readTree(ready.data()).get("resumed").asBoolean());
            assertEquals(List.of(partition + ":44", partition + ":45"),
                    List.of(stream.next(WAIT).id(), stream.next(WAIT).id()));
        }
        try (EventStream stream = EventStream.open(api.port(), CHANGES, READER, partition + ":12")) {
            EventStream.Event reload = stream.next(WAIT);
            assertEquals("reload", reload.name());
            assertTrue(reload.data().contains("no longer kept"), reload.data());
            assertTrue(stream.endsWithin(WAIT), "the stream ends after it");
        }
    }

    @Test
    void aStreamThatFallsBehindIsCutOffWithAFinalEventNotBufferedWithoutBound() throws IOException {
        // a client on a bare socket that reads nothing until its stream has fallen behind: the server's writes fill
        // the connection, then the stream's buffer of 16 changes
        try (Socket client = new Socket("127.0.0.1", api.port())) {
            client.setSoTimeout((int) WAIT.toMillis());
            client.getOutputStream().write(("GET " + CHANGES + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + READER
                    + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            InputStream answer = client.getInputStream();
            int first = answer.read(); // the answer has begun: the stream follows the queue
            String padding = "x".repeat(2_000);
            for (long offset = 40; offset < 20_040; offset++) { // 40 MB: far more than a connection holds
                log.append(new QueueChange(partition, offset, QUEUE.toString(),
                        ("{\"change\":\"UPSERT\",\"n\":" + offset + ",\"pad\":\"" + padding + "\"}")
                                .getBytes(StandardCharsets.UTF_8)));
            }
            String stream = (char) first + new String(answer.readAllBytes(), StandardCharsets.UTF_8); // to its end
            assertTrue(stream.startsWith("HTTP/1.1 200"), stream.substring(0, Math.min(200, stream.length())));
            int changesSent = stream.split("event: change\n", -1).length - 1;
            String end = stream.substring(stream.lastIndexOf("event: "));
            assertTrue(end.startsWith("event: reload\ndata: {\"reason\":\"this stream fell more than its buffer behind"),
                    end);
            assertTrue(changesSent < 20_000, changesSent + " changes were sent before the cut");
            System.out.println("a stream that read nothing got " + changesSent + " of 20,000 changes, then reload");
        }
    }

    @Test
    void aStreamNeedsATokenThatMayListTheProjectAndAQueueType() throws Exception {
        assertRefused(EventStream.open(api.port(), CHANGES, null, null), 401, "octopus.400001");
        assertRefused(EventStream.open(api.port(), CHANGES, WRITER, null), 403, "octopus.400003");
        assertRefused(EventStream.open(api.port(), CHANGES.replace("/p/", "/q/"), READER, null), 403, "octopus.400003");
        assertRefused(EventStream.open(api.port(), CHANGES.replace("PROCESSOR", "NOPE"), READER, null), 400,
                "octopus.400000");
    }

    @Test
    void streamsPastTheCapsOfATokenAndOfTheInstanceAre503sToRetry() throws Exception {
        // ApiFixture.STREAM_LIMITS: 3 per instance, 2 per token
        try (EventStream first = EventStream.open(api.port(), CHANGES, OPS, null);
             EventStream second = EventStream.open(api.port(), CHANGES, OPS, null)) {
            assertEquals("ready", first.next(WAIT).name());
            assertEquals("ready", second.next(WAIT).name());
            EventStream thirdOfOps = EventStream.open(api.port(), CHANGES, OPS, null);
            assertTrue(assertRefused(thirdOfOps, 503, "octopus.400103").contains("this token has 2"));
            try (EventStream third = EventStream.open(api.port(), CHANGES, READER, null)) {
                assertEquals("ready", third.next(WAIT).name());
                EventStream fourth = EventStream.open(api.port(), CHANGES, READER, null);
                assertTrue(assertRefused(fourth, 503, "octopus.400103").contains("this instance serves 3"));
            }
        }
    }

    private static String assertRefused(EventStream stream, int status, String code) throws Exception {
        assertEquals(status, stream.status());
        String body = stream.body();
        JsonNode error = JSON.readTree(body);
        assertEquals(code, error.get("error_code").asText(), body);
        if (status == 503) {
            assertTrue(stream.response().headers().firstValue("Retry-After").isPresent());
        }
        return error.get("error_msg").asText();
    }

    private void append(QueueId queue, long offset) {
        log.append(new QueueChange(partition == log.partitionOf(queue) ? partition : log.partitionOf(queue), offset,
                queue.toString(), ("{\"change\":\"UPSERT\",\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8)));
    }
}
