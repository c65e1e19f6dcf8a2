package io.queueview.app;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.event.EventParser;
import io.queueview.testing.Await;
import io.queueview.testing.RunningService;
import io.queueview.testing.SharedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of record that breaks the event contract, between good ones, through a real broker: each bad record
 * lands in the dead-letter topic exactly once, unchanged, with its reason, and every good one is listed.
 */
class PoisonRecordsIT {

    @RegisterExtension
    final RunningService service = new RunningService();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
    /** Bad records that would be applied if read leniently carry ids from here; none of them may be listed. */
    private static final long POISON_IDS = 900;




    @Test
    void deadLettersEachBadRecordOnceWithItsReasonAndAppliesEveryGoodOne() {
        Map<String, Poison> poisons = poisons();
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        List<Long> goodIds = new ArrayList<>();
        long id = 1;
        for (Map.Entry<String, Poison> poison : poisons.entrySet()) {
            records.add(record("good-" + id, enqueued("p", "PROCESSOR", id).bytes()));
            goodIds.add(id++);
            records.add(record(poison.getKey(), poison.getValue().value()));
        }
        records.add(record("good-" + id, enqueued("p", "PROCESSOR", id).bytes()));
        goodIds.add(id);
        SharedBroker.produce(service.settings().topics().events(), records);

        awaitIds(goodIds); // same priority, rank_stamp grows with the id: listed in id order
        Map<String, List<ConsumerRecord<byte[], byte[]>>> deadByKey = readDeadLetters(poisons.size());
        assertEquals(poisons.keySet(), deadByKey.keySet());
        for (Map.Entry<String, Poison> poison : poisons.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> dead = deadByKey.get(poison.getKey());
            assertEquals(1, dead.size(), poison.getKey() + " dead-lettered once");
            String reason = header(dead.get(0), "queueview.dlq.reason");
            assertTrue(reason.startsWith(poison.getValue().reason()), poison.getKey() + ": " + reason);
            assertArrayEquals(poison.getValue().value(), dead.get(0).value(), poison.getKey() + " unchanged");
            assertEquals(service.settings().topics().events(), header(dead.get(0), "queueview.dlq.source.topic"));
        }
        assertEquals(goodIds, listedIds()); // still: nothing of a poison record was applied after all
    }

    private record Poison(byte[] value, String reason) {
    }

    /** Each kind of bad record by its key, with the start of its reason. */
    private static Map<String, Poison> poisons() {
        Map<String, Poison> poisons = new LinkedHashMap<>();
        String enqueued = enqueued("p", "PROCESSOR", POISON_IDS + 1).json();
        String enqueued2 = enqueued("p", "PROCESSOR", POISON_IDS + 2).json();
        // what a lenient read applied: the first object, the last of two keys, an overlong '/' decoded
        poisons.put("data-after-object", new Poison(utf8(enqueued + " garbage"), "value has data after its JSON object"));
        poisons.put("two-objects", new Poison(utf8(enqueued + enqueued2), "value has data after its JSON object"));
        poisons.put("key-twice", new Poison(utf8(enqueued("p", "PROCESSOR", POISON_IDS + 3).with("priority", 1)
                .json().replace("}", ",\"priority\":7}")), "value has the key 'priority' more than once"));
        poisons.put("overlong-utf8", new Poison(withBytes(enqueued("p", "PROCESSOR", POISON_IDS + 4)
                .with("data_id", "D#").json(), "C0AF"), "value is not valid UTF-8"));
        poisons.put("surrogate-utf8", new Poison(withBytes(enqueued("p", "PROCESSOR", POISON_IDS + 5)
                .with("data_id", "D#").json(), "EDA080"), "value is not valid UTF-8"));
        poisons.put("lone-continuation-utf8", new Poison(withBytes(enqueued("p", "PROCESSOR", POISON_IDS + 6)
                .with("data_id", "D#").json(), "80"), "value is not valid UTF-8"));
        poisons.put("cut-off-utf8", new Poison(withBytes(enqueued("p", "PROCESSOR", POISON_IDS + 7)
                .with("data_id", "D#").json(), "E282"), "value is not valid UTF-8"));
        // the kinds dead-lettered before
        poisons.put("not-json", new Poison(utf8("{\"event_type\":"), "value is not JSON"));
        poisons.put("empty", new Poison(new byte[0], "value is not a JSON object"));
        poisons.put("null", new Poison(null, "value is null"));
        poisons.put("array", new Poison(utf8("[" + enqueued + "]"), "value is not a JSON object"));
        poisons.put("no-event-type", new Poison(utf8(enqueued("p", "PROCESSOR", POISON_IDS + 8)
                .without("event_type").json()), "event_type is required"));
        poisons.put("unknown-event-type", new Poison(utf8(enqueued("p", "PROCESSOR", POISON_IDS + 9)
                .with("event_type", "JOB_PAUSED").json()), "event_type 'JOB_PAUSED' is not"));
        poisons.put("unknown-queue-type", new Poison(utf8(enqueued("p", "GPU", POISON_IDS + 10).json()),
                "queue_type 'GPU' is not"));
        poisons.put("id-a-string", new Poison(utf8(dequeued("p", "PROCESSOR", 1).json().replace("\"id\":1", "\"id\":\"1\"")),
                "id must be an integer"));
        poisons.put("no-priority", new Poison(utf8(enqueued("p", "PROCESSOR", POISON_IDS + 11)
                .without("priority").json()), "priority is required"));
        poisons.put("priority-above-50", new Poison(utf8(updated("p", "PROCESSOR", 1).with("priority", 51).json()),
                "priority 51 is outside -50..50"));
        poisons.put("project-id-too-long", new Poison(utf8(enqueued("p".repeat(65), "PROCESSOR", 1).json()),
                "project_id must have 1..64"));
        poisons.put("over-64-kib", new Poison(utf8(enqueued("p", "PROCESSOR", POISON_IDS + 12)
                .with("resource_spec", "x".repeat(EventParser.MAX_VALUE_BYTES)).json()), "value has "));
        return poisons;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON with its '#' replaced by raw bytes. */
    private static byte[] withBytes(String json, String hex) {
        int at = json.indexOf('#');
        byte[] before = utf8(json.substring(0, at));
        byte[] bytes = HexFormat.of().parseHex(hex);
        byte[] after = utf8(json.substring(at + 1));
        byte[] all = new byte[before.length + bytes.length + after.length];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(bytes, 0, all, before.length, bytes.length);
        System.arraycopy(after, 0, all, before.length + bytes.length, after.length);
        return all;
    }

    private static Map.Entry<byte[], byte[]> record(String key, byte[] value) {
        return new SimpleEntry<>(utf8(key), value);
    }

    /** Reads the dead-letter topic until it has the expected count, then a while longer to see any extra. */
    private Map<String, List<ConsumerRecord<byte[], byte[]>>> readDeadLetters(int expected) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, service.app().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedBroker.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(service.settings().topics().deadLetters()));
            int[] read = {0};
            Await.until(VISIBLE_WITHIN, expected + " records on " + service.settings().topics().deadLetters(), () -> {
                read[0] += collect(consumer, byKey);
                return read[0] >= expected;
            });
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // past a commit interval
            while (System.nanoTime() < until) {
                collect(consumer, byKey);
            }
        }
        return byKey;
    }

    private static int collect(KafkaConsumer<byte[], byte[]> consumer,
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey) {
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            byKey.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), key -> new ArrayList<>())
                    .add(record);
            count++;
        }
        return count;
    }

    private void awaitIds(List<Long> ids) {
        Await.until(VISIBLE_WITHIN, "p/PROCESSOR lists " + ids, () -> listedIds().equals(ids));
    }

    private List<Long> listedIds() {
        HttpResponse<String> response = service.http()
                .get("/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR&limit=200", service.token());
        assertEquals(200, response.statusCode(), response.body());
        List<Long> listed = new ArrayList<>();
        try {
            JSON.readTree(response.body()).at("/payload/list").forEach(entry -> listed.add(entry.get("id").asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listed;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
