package io.queueview.app;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.Await;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.RunningService;
import io.queueview.testing.SharedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The write calls against a real broker: read-your-writes, and many writers on one queue at once. */
class QueueWritesEndToEndIT {

    @RegisterExtension
    final RunningService service = new RunningService();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] OPERATIONS = {"MOVE_TOP", "MOVE_TAIL", "MOVE_UP", "MOVE_DOWN"};
    private static final String BASE = "/v1.0/p/data/queuing-jobs";
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);




    @Test
    void everyWriteIsInTheNextList200TimesInARow() {
        List<EventJson> initial = enqueueAndAwait(12);
        List<Long> expected = new ArrayList<>(ids());
        Random random = new Random(7);
        long[] latencies = new long[200];
        for (int i = 0; i < latencies.length; i++) {
            long id = expected.get(random.nextInt(expected.size()));
            String operation = OPERATIONS[random.nextInt(OPERATIONS.length)];
            long started = System.nanoTime();
            HttpResponse<String> response = move(id, operation);
            latencies[i] = System.nanoTime() - started;
            assertEquals(200, response.statusCode(), response.body());
            apply(expected, id, operation);
            assertEquals(expected, ids(), "after write " + i + ": " + operation + " of " + id);
        }
        Arrays.sort(latencies);
        System.out.printf("[timing] write call, request to 200, %d calls: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                latencies.length, latencies[latencies.length / 2] / 1e6,
                latencies[(int) (latencies.length * 0.99)] / 1e6, latencies[latencies.length - 1] / 1e6);
        assertEquals(initial.size(), total());
    }

    @Test
    void anAppliedAndARefusedWriteAreBothOnTheAuditTopicWithWhoAsked() {
        enqueueAndAwait(3); // in queue order 2, 1, 3 (priorities 2, 1, 0)
        assertEquals(200, move(3, "MOVE_TOP").statusCode());
        assertEquals(401, service.http().send("PUT", BASE + "/2", "not-a-token", "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TAIL\"}").statusCode());
        List<String> audit = new ArrayList<>();
        Await.until(Duration.ofSeconds(30), "both writes on " + service.settings().topics().audit(), () -> {
            audit.clear();
            readAll(service.settings().topics().audit()).forEach(value -> audit.add(new String(value, StandardCharsets.UTF_8)));
            return audit.size() >= 2;
        });
        assertEquals(2, audit.size(), audit.toString());
        assertTrue(audit.stream().anyMatch(record -> record.contains("\"outcome\":\"APPLIED\"")
                && record.contains("\"requested_by\":\"demo\"") && record.contains("\"changed\":[{\"id\":3,\"priority\":2")),
                audit.toString());
        assertTrue(audit.stream().anyMatch(record -> record.contains("\"outcome\":\"REFUSED\"")
                && record.contains("\"requested_by\":\"unauthenticated\"") && record.contains("\"status\":401")),
                audit.toString());
    }

    @Test
    void eightConcurrentWritersLeaveTheOrderOfASequentialReplayOfTheCommandTopic() throws Exception {
        List<EventJson> initial = enqueueAndAwait(30);
        List<Long> ids = ids();
        AtomicInteger accepted = new AtomicInteger();
        runConcurrently(8, Duration.ofSeconds(3), (writer, random) -> {
            HttpResponse<String> response = random.nextInt(5) == 0
                    ? batch(List.of(ids.get(random.nextInt(ids.size())), ids.get(random.nextInt(ids.size()))),
                            random.nextInt(101) - 50)
                    : move(ids.get(random.nextInt(ids.size())), OPERATIONS[random.nextInt(OPERATIONS.length)]);
            assertEquals(200, response.statusCode(), response.body());
            accepted.incrementAndGet();
        });

        List<byte[]> commands = readAll(service.settings().topics().commands());
        assertEquals(accepted.get(), commands.size());
        try (ProjectorDriver replay = new ProjectorDriver(service.dataDir().resolve("replay"))) {
            initial.forEach(replay::send);
            commands.forEach(command -> replay.sendCommandRaw(null, command));
            assertEquals(replay.ids(QUEUE), ids(), "live order vs. sequential replay of " + commands.size() + " commands");
        }
        System.out.printf("[timing] 8 concurrent writers for 3 s: %d writes applied%n", accepted.get());
    }

    @Test
    void writersAndTheSchedulerAtOnceLoseDuplicateOrResurrectNothing() throws Exception {
        enqueueAndAwait(30);
        Set<Long> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();
        queued.addAll(ids());
        Set<Long> removed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        runConcurrently(5, Duration.ofSeconds(3), (writer, random) -> {
            if (writer == 0) { // the scheduler: new entries, priority changes and removals
                long id = 1000 + random.nextInt(1_000_000);
                produce(enqueued("p", "PROCESSOR", id).with("priority", random.nextInt(5)).version(1));
                queued.add(id);
                Long victim = queued.stream().skip(random.nextInt(queued.size())).findFirst().orElseThrow();
                if (random.nextBoolean()) {
                    produce(updated("p", "PROCESSOR", victim).with("priority", random.nextInt(5)));
                } else {
                    produce(dequeued("p", "PROCESSOR", victim).version(99));
                    removed.add(victim);
                }
            } else {
                List<Long> known = new ArrayList<>(queued);
                HttpResponse<String> response = move(known.get(random.nextInt(known.size())),
                        OPERATIONS[random.nextInt(OPERATIONS.length)]);
                assertTrue(response.statusCode() == 200 || response.statusCode() == 404, response.body());
            }
        });
        Set<Long> expected = new HashSet<>(queued);
        expected.removeAll(removed);
        io.queueview.testing.Await.until(Duration.ofSeconds(30), "the scheduler's events are applied",
                () -> new HashSet<>(ids()).equals(expected));
        List<Long> listed = ids();
        assertEquals(listed.size(), new HashSet<>(listed).size(), "no entry twice");
        assertEquals(expected.size(), total());
    }

    // ---- helpers ----

    private interface Writer {
        void write(int writer, Random random) throws Exception;
    }

    private static void runConcurrently(int writers, Duration duration, Writer write) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        long end = System.nanoTime() + duration.toNanos();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                running.add(pool.submit(() -> {
                    Random random = new Random(writer);
                    while (System.nanoTime() < end) {
                        write.write(writer, random);
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<EventJson> enqueueAndAwait(int count) {
        List<EventJson> events = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            // few priorities and rank_stamps: equal ones are common, as in a batch of jobs enqueued at once
            events.add(enqueued("p", "PROCESSOR", id).with("priority", id % 3).with("rank_stamp", id % 4).version(1));
        }
        events.forEach(this::produce);
        io.queueview.testing.Await.until(Duration.ofSeconds(60), count + " entries are listed", () -> total() == count);
        return events;
    }

    private void produce(EventJson event) {
        SharedBroker.produce(service.settings().topics().events(), List.of(new SimpleEntry<>(null, event.bytes())));
    }

    private HttpResponse<String> move(long id, String operation) {
        return service.http().send("PUT", BASE + "/" + id, service.token(), "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"" + operation + "\"}");
    }

    private HttpResponse<String> batch(List<Long> ids, int priority) {
        return service.http().send("PUT", BASE + "/batch-update", service.token(), "application/json",
                "{\"queue_type\":\"PROCESSOR\",\"priority\":" + priority + ",\"ids\":" + ids + "}");
    }

    private JsonNode page() {
        HttpResponse<String> response = service.http().get(BASE + "?queue_type=PROCESSOR&limit=200", service.token());
        assertEquals(200, response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        page().at("/payload/list").forEach(entry -> ids.add(entry.get("id").asLong()));
        return ids;
    }

    private long total() {
        return page().at("/payload/page_info/total").asLong();
    }

    private static void apply(List<Long> order, long id, String operation) {
        int at = order.indexOf(id);
        switch (operation) {
            case "MOVE_TOP" -> order.add(0, order.remove(at));
            case "MOVE_TAIL" -> order.add(order.remove(at));
            case "MOVE_UP" -> order.add(Math.max(0, at - 1), order.remove(at));
            default -> order.add(Math.min(order.size() - 1, at + 1), order.remove(at));
        }
    }

    /** Every record of a topic, partition by partition in offset order (one queue lives in one partition). */
    private List<byte[]> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, service.app().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<byte[]> values = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (consumer.position(partition) < ends.get(partition)) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
            }
            return values;
        }
    }
}
