package io.queueview.app;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.config.Settings;
import io.queueview.testing.Await;
import io.queueview.testing.EventJson;
import io.queueview.testing.Folders;
import io.queueview.testing.HttpClientForTests;
import io.queueview.testing.SharedBroker;
import io.queueview.testing.SimulatedScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * queueview in production mode against a real KRaft broker: events written by a plain producer, answers over
 * HTTP, exactly-once Kafka Streams, a restart on the same data folder.
 */
class QueueViewEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    private Settings settings;
    private Application app;

    @BeforeEach
    void start() throws Exception {
        settings = SharedBroker.settings(dataDir);
        app = startApp();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private Application startApp() throws Exception {
        Application started = Application.start(settings);
        assertTrue(started.awaitReady(VISIBLE_WITHIN), "ready within " + VISIBLE_WITHIN);
        return started;
    }

    @Test
    void createsItsTopicsWithTheConfiguredPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    Set.of(settings.topics().events(), settings.topics().deadLetters(), settings.topics().changes())).allTopicNames().get();
            topics.values().forEach(topic -> assertEquals(2, topic.partitions().size(), topic.name()));
        }
    }

    @Test
    void listsEventsFromAPlainProducerIncludingOnesWithoutAKey() {
        produce(null, enqueued("p", "PROCESSOR", 1).with("priority", 1));
        produce("2", enqueued("p", "PROCESSOR", 2).with("priority", 5));
        produce("3", enqueued("p", "PROCESSOR", 3).with("priority", 1).with("rank_stamp", 1));
        awaitIds("p", "PROCESSOR", List.of(2L, 3L, 1L));
    }

    @Test
    void showsUpdatesAndRemovals() {
        produce("1", enqueued("p", "INTERNAL", 1).version(1));
        produce("2", enqueued("p", "INTERNAL", 2).version(1));
        awaitIds("p", "INTERNAL", List.of(1L, 2L));
        produce("1", updated("p", "INTERNAL", 1).version(2).with("priority", -10));
        produce("2", dequeued("p", "INTERNAL", 2).version(2).with("reason", "DISPATCHED"));
        produce("3", enqueued("p", "INTERNAL", 3));
        awaitIds("p", "INTERNAL", List.of(3L, 1L));
    }

    @Test
    void sendsGarbageToTheDeadLetterTopicAndKeepsGoing() throws IOException {
        SharedBroker.produce(settings.topics().events(), List.of(new SimpleEntry<>(
                "k".getBytes(StandardCharsets.UTF_8), "{garbage".getBytes(StandardCharsets.UTF_8))));
        produce("1", enqueued("p", "RESIM", 1));
        awaitIds("p", "RESIM", List.of(1L));

        ConsumerRecord<byte[], byte[]> dead = readOne(settings.topics().deadLetters());
        assertEquals("{garbage", new String(dead.value(), StandardCharsets.UTF_8));
        assertTrue(header(dead, "queueview.dlq.reason").startsWith("value is not JSON"));
        assertEquals(settings.topics().events(), header(dead, "queueview.dlq.source.topic"));
        assertEquals("0", header(dead, "queueview.dlq.source.offset"));
    }

    @Test
    void answersTheSameAfterARestartOnTheSameDataFolder() throws Exception {
        for (int id = 1; id <= 20; id++) {
            produce(Integer.toString(id), enqueued("p", "PROCESSOR", id).with("priority", id % 4).version(1));
        }
        produce("5", dequeued("p", "PROCESSOR", 5).version(2));
        // every event applied (a total of 19 is also that of ids 1-19 before 20 and the dequeue arrive): by priority
        // (id % 4) from 3 down, then by rank_stamp
        awaitIds("p", "PROCESSOR", List.of(3L, 7L, 11L, 15L, 19L, 2L, 6L, 10L, 14L, 18L, 1L, 9L, 13L, 17L,
                4L, 8L, 12L, 16L, 20L));
        String before = page("p", "PROCESSOR").get("payload").toString();

        app.close();
        app = startApp();
        assertEquals(before, page("p", "PROCESSOR").get("payload").toString());
        // and the view goes on from where it was
        produce("21", enqueued("p", "PROCESSOR", 21).with("priority", 50));
        awaitTotal("p", "PROCESSOR", 20);
    }

    @Test
    void rebuildsItsIndexesAndCountsWhenTheLocalStateIsLost() throws Exception {
        for (int id = 1; id <= 40; id++) {
            produce(Integer.toString(id), enqueued("p", "PROCESSOR", id).with("priority", id % 5)
                    .with("rank_stamp", id * 40_000L).with("data_id", "D" + id % 3)
                    .with("cluster_type", "MODELARTS").with("cluster_id", "ma-" + id % 2));
        }
        awaitTotal("p", "PROCESSOR", 40);
        List<String> calls = List.of("queue_type=PROCESSOR&data_id=D1&limit=5&offset=2",
                "queue_type=PROCESSOR&cluster_type=MODELARTS&cluster_id=ma-1",
                "queue_type=PROCESSOR&limit=3&offset=17");
        List<String> before = new ArrayList<>();
        for (String call : calls) {
            before.add(get("/v1.0/p/data/queuing-jobs?" + call).get("payload").toString());
        }
        before.add(get("/v1.0/p/data/queuing-jobs/23?queue_type=PROCESSOR").get("payload").toString());

        app.close();
        Folders.delete(dataDir.resolve("streams")); // as on a new machine: only the changelogs are left
        app = startApp();
        List<String> after = new ArrayList<>();
        for (String call : calls) {
            after.add(get("/v1.0/p/data/queuing-jobs?" + call).get("payload").toString());
        }
        after.add(get("/v1.0/p/data/queuing-jobs/23?queue_type=PROCESSOR").get("payload").toString());
        assertEquals(before, after);
    }

    /** meta_info.view.lag is the records of the queue's partition not applied yet: seen during a burst, then 0. */
    @Test
    void theViewsLagIsAboveZeroDuringABurstAndZeroOnceItHasCaughtUp() {
        int burst = 30_000;
        List<Map.Entry<byte[], byte[]>> events = new ArrayList<>();
        for (int id = 1; id <= burst; id++) {
            events.add(new SimpleEntry<>("p".getBytes(StandardCharsets.UTF_8), enqueued("p", "RESIM", id).bytes()));
        }
        SharedBroker.produce(settings.topics().events(), events);
        long mostSeen = 0;
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        JsonNode page;
        do { // one queue, so one partition: the lag it shows is the burst's
            page = get("/v1.0/p/data/queuing-jobs?queue_type=RESIM&limit=1");
            mostSeen = Math.max(mostSeen, page.at("/meta_info/view/lag").asLong());
        } while (page.at("/payload/page_info/total").asLong() < burst && System.nanoTime() < deadline);
        assertEquals(burst, page.at("/payload/page_info/total").asLong(), "every event applied");
        assertTrue(mostSeen > 0, "the lag never showed the burst not yet applied");
        Await.until(VISIBLE_WITHIN, "the lag back at 0 once every event is applied",
                () -> get("/v1.0/p/data/queuing-jobs?queue_type=RESIM&limit=1").at("/meta_info/view/lag").asLong() == 0);
    }

    @Test
    void theEstimatedWaitAndTheWaitStatisticsAreTheSameAfterARestartAndAfterTheLocalStateIsLost() throws Exception {
        // Record times ahead of this machine's clock, so the window ends at the last dispatch whenever it is asked
        // (a clock behind the records' does not end it earlier): the figure does not drift while the test runs.
        SimulatedScheduler scheduler = new SimulatedScheduler("p", "RESIM",
                Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(20)));
        List<SimulatedScheduler.Timed> events = new ArrayList<>(scheduler.enqueue(40));
        events.addAll(scheduler.removeHeadEvery(Duration.ofSeconds(2), Duration.ofMinutes(20), "DISPATCHED"));
        SharedBroker.produce(settings.topics().events(), "p/RESIM", events);
        String tenth = "/v1.0/p/data/queuing-jobs/" + scheduler.queued().get(9) + "?queue_type=RESIM";
        Await.until(VISIBLE_WITHIN, "every dispatch applied", () -> page("p", "RESIM").at("/payload/list/0/id")
                .asLong() == scheduler.queued().get(0));
        JsonNode before = get(tenth).get("payload");
        assertEquals(20, before.get("estimated_wait_seconds").asLong(), before.toString());
        assertEquals(30.0, before.get("dispatch_rate_per_minute").asDouble());
        String stats = "/v1.0/p/data/queuing-jobs/stats?queue_type=RESIM";
        JsonNode statsBefore = get(stats).get("payload");
        assertEquals(600, statsBefore.at("/last_24h/dispatched").asLong(), statsBefore.toString()); // 20 min of 30/min
        assertEquals(600, statsBefore.at("/last_24h/timed").asLong());

        app.close();
        app = startApp();
        assertEquals(before, get(tenth).get("payload"), "after a restart on the same data folder");
        assertEquals(statsBefore, get(stats).get("payload"), "the wait statistics after a restart");

        app.close();
        Folders.delete(dataDir.resolve("streams")); // restored from the changelogs alone
        app = startApp();
        assertEquals(before, get(tenth).get("payload"), "after the local state is lost");
        assertEquals(statsBefore, get(stats).get("payload"), "the wait statistics after the local state is lost");
    }

    @Test
    void aSecondInstanceAnswersEveryQueueForwardingTheOnesItDoesNotOwnToTheirOwner() throws Exception {
        Settings second = SharedBroker.settings(dataDir.resolve("second"),
                "QUEUEVIEW_APPLICATION_ID", settings.view().applicationId(), "QUEUEVIEW_EVENTS_TOPIC", settings.topics().events(),
                "QUEUEVIEW_DLQ_TOPIC", settings.topics().deadLetters(), "QUEUEVIEW_CHANGES_TOPIC", settings.topics().changes(),
                "QUEUEVIEW_COMMANDS_TOPIC", settings.topics().commands(),
                "QUEUEVIEW_TOKENS_FILE", dataDir.resolve("tokens.json").toString());
        List<String> projects = List.of("a", "b", "c", "d", "e", "f");
        for (String project : projects) {
            produce(project, enqueued(project, "RESIM", 1));
        }
        try (Application other = Application.start(second)) {
            HttpClientForTests[] instances = {new HttpClientForTests(app.httpPort()),
                new HttpClientForTests(other.httpPort())};
            for (String project : projects) {
                String list = "/v1.0/" + project + "/data/queuing-jobs?queue_type=RESIM";
                Await.until(VISIBLE_WITHIN, "both instances list " + project + ", one of them as its owner", () -> {
                    HttpResponse<String> first = instances[0].get(list, app.demoToken());
                    HttpResponse<String> next = instances[1].get(list, app.demoToken());
                    return first.statusCode() == 200 && next.statusCode() == 200
                            && first.body().contains("\"total\":1") && next.body().contains("\"total\":1")
                            // the forwarded answer says who answered; the owner's own does not
                            && first.body().contains("answered_by") != next.body().contains("answered_by");
                });
            }
        }
    }

    @Test
    void aQueueBackFromAnotherInstanceAnswersWhatThatInstanceApplied() throws Exception {
        List<String> projects = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        for (String project : projects) {
            produce(project, enqueued(project, "RESIM", 1).with("data_id", "D"));
        }
        for (String project : projects) {
            awaitTotal(project, "RESIM", 1);
        }
        List<String> movedAway = new ArrayList<>();
        try (Application other = Application.start(SharedBroker.settings(dataDir.resolve("second"),
                "QUEUEVIEW_APPLICATION_ID", settings.view().applicationId(), "QUEUEVIEW_EVENTS_TOPIC", settings.topics().events(),
                "QUEUEVIEW_DLQ_TOPIC", settings.topics().deadLetters(), "QUEUEVIEW_CHANGES_TOPIC", settings.topics().changes(),
                "QUEUEVIEW_COMMANDS_TOPIC", settings.topics().commands(),
                "QUEUEVIEW_TOKENS_FILE", dataDir.resolve("tokens.json").toString()))) {
            HttpClientForTests second = new HttpClientForTests(other.httpPort());
            Await.until(VISIBLE_WITHIN, "the second instance owns a queue", () -> {
                movedAway.clear();
                for (String project : projects) {
                    HttpResponse<String> answer = second.get("/v1.0/" + project
                            + "/data/queuing-jobs?queue_type=RESIM", app.demoToken());
                    if (answer.statusCode() == 200 && !answer.body().contains("answered_by")) { // its own answer
                        movedAway.add(project);
                    }
                }
                return !movedAway.isEmpty();
            });
            for (String project : movedAway) { // changed while the other instance owns the queue
                produce(project, enqueued(project, "RESIM", 2).with("data_id", "D"));
                Await.until(VISIBLE_WITHIN, "the second instance applied " + project, () -> second.get("/v1.0/"
                        + project + "/data/queuing-jobs?queue_type=RESIM&data_id=D", app.demoToken()).body()
                        .contains("\"total\":2"));
            }
        }
        // the other instance left: its queues are back here, with the secondary indexes and counts it changed
        for (String project : movedAway) {
            Await.until(VISIBLE_WITHIN, project + " is answered here with both entries", () -> {
                String body = new HttpClientForTests(app.httpPort()).get("/v1.0/" + project
                        + "/data/queuing-jobs?queue_type=RESIM&data_id=D", app.demoToken()).body();
                return body.contains("\"total\":2") && !body.contains("answered_by");
            });
        }
    }

    private void produce(String key, EventJson event) {
        SharedBroker.produce(settings.topics().events(), List.of(new SimpleEntry<>(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), event.bytes())));
    }

    private JsonNode page(String project, String queueType) {
        return get("/v1.0/" + project + "/data/queuing-jobs?queue_type=" + queueType + "&limit=200");
    }

    private JsonNode get(String pathAndQuery) {
        HttpResponse<String> response = new HttpClientForTests(app.httpPort()).get(pathAndQuery, app.demoToken());
        assertEquals(200, response.statusCode(), response.body());
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitIds(String project, String queueType, List<Long> ids) {
        Await.until(VISIBLE_WITHIN, project + "/" + queueType + " lists " + ids, () -> {
            List<Long> listed = new ArrayList<>();
            page(project, queueType).at("/payload/list").forEach(entry -> listed.add(entry.get("id").asLong()));
            return listed.equals(ids);
        });
    }

    private void awaitTotal(String project, String queueType, long total) {
        Await.until(VISIBLE_WITHIN, project + "/" + queueType + " has " + total + " entries",
                () -> page(project, queueType).at("/payload/page_info/total").asLong() == total);
    }

    private ConsumerRecord<byte[], byte[]> readOne(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, SharedBroker.unique("reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Await.until(VISIBLE_WITHIN, "a record on " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
            return records.get(0);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
