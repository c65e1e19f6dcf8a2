package io.queueview.topology;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueDepth;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.TestSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueProjectorTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    private ProjectorDriver driver;

    @BeforeEach
    void start() {
        driver = new ProjectorDriver(TestSettings.in(dataDir, "QUEUEVIEW_REMOVAL_MARKER_TTL", "PT1H"));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static EventJson job(long id, int priority, long rankStamp) {
        return enqueued("p", "PROCESSOR", id).with("priority", priority).with("rank_stamp", rankStamp);
    }

    @Test
    void keepsEachQueueInPriorityThenRankStampThenIdOrder() {
        driver.send(job(1, 0, 300), job(2, 10, 500), job(3, 0, 100), job(4, -5, 1), job(5, 0, 100), job(6, 50, 999));
        assertEquals(List.of(6L, 2L, 3L, 5L, 1L, 4L), driver.ids(QUEUE));
    }

    @Test
    void aQueuesDepthCountsItsEntriesAndNamesTheSmallestRankStampWhateverItsPriority() {
        // the oldest (rank_stamp 100) is neither the head nor the tail, nor the newest of its priority
        driver.send(job(1, 50, 5_000), job(2, 0, 100), job(3, -50, 3_000), job(4, 0, 2_000), job(5, 0, 9_000));
        assertEquals(new QueueDepth(5, 100), driver.views().depths().get(QUEUE));
        driver.send(dequeued("p", "PROCESSOR", 2));
        assertEquals(new QueueDepth(4, 2_000), driver.views().depths().get(QUEUE));
        driver.send(dequeued("p", "PROCESSOR", 1), dequeued("p", "PROCESSOR", 3), dequeued("p", "PROCESSOR", 4),
                dequeued("p", "PROCESSOR", 5));
        assertFalse(driver.views().depths().containsKey(QUEUE), "an empty queue has no depth series");
    }

    @Test
    void keepsQueuesOfOtherProjectsAndTypesApart() {
        driver.send(job(1, 0, 1), enqueued("p", "INTERNAL", 1), enqueued("q", "PROCESSOR", 1),
                enqueued("p", "RESIM", 2));
        assertEquals(List.of(1L), driver.ids(QUEUE));
        assertEquals(List.of(1L), driver.ids(new QueueId("p", QueueType.INTERNAL)));
        assertEquals(List.of(2L), driver.ids(new QueueId("p", QueueType.RESIM)));
        assertEquals(1, driver.total(new QueueId("q", QueueType.PROCESSOR)));
    }

    @Test
    void applyingTheSameEventsTwiceLeavesTheViewAsOnce() {
        EventJson[] events = {job(1, 0, 1), job(2, 5, 2), updated("p", "PROCESSOR", 1).with("priority", 9),
            dequeued("p", "PROCESSOR", 2)};
        driver.send(events);
        List<Entry> once = driver.queue(QUEUE);
        long totalOnce = driver.total(QUEUE);
        driver.send(events);
        assertEquals(once, driver.queue(QUEUE));
        assertEquals(totalOnce, driver.total(QUEUE));
    }

    @Test
    void anUpdateMovesTheEntryAndChangesOnlyItsFields() {
        driver.send(job(1, 0, 1).with("cluster_type", "CCE").with("cluster_id", "c1").with("data_id", "D"),
                job(2, 0, 2));
        driver.send(updated("p", "PROCESSOR", 1).with("priority", -1).with("cluster_id", "c2"));
        assertEquals(List.of(2L, 1L), driver.ids(QUEUE));
        Entry moved = driver.queue(QUEUE).get(1);
        assertEquals(-1, moved.priority());
        assertEquals("CCE", moved.clusterType());
        assertEquals("c2", moved.clusterId());
        assertEquals("D", moved.dataId());
        assertEquals(1, moved.rankStamp());
    }

    @Test
    void aReEnqueueReplacesTheEntryWithoutCountingItTwice() {
        driver.send(job(1, 0, 1), job(1, 7, 1).with("data_id", "new"));
        assertEquals(1, driver.queue(QUEUE).size());
        assertEquals("new", driver.queue(QUEUE).get(0).dataId());
        assertEquals(1, driver.total(QUEUE));
    }

    @Test
    void ignoresVersionedEventsThatAreNotNewer() {
        driver.send(job(1, 0, 1).version(5));
        driver.send(updated("p", "PROCESSOR", 1).version(4).with("priority", 9),
                updated("p", "PROCESSOR", 1).version(5).with("priority", 9),
                dequeued("p", "PROCESSOR", 1).version(3));
        assertEquals(0, driver.queue(QUEUE).get(0).priority());
        assertEquals(3, driver.counters(QUEUE).staleEvents());
        driver.send(updated("p", "PROCESSOR", 1).version(6).with("priority", 9));
        assertEquals(9, driver.queue(QUEUE).get(0).priority());
    }

    @Test
    void appliesUnversionedEventsInTheOrderRead() {
        driver.send(job(1, 0, 1).version(5), updated("p", "PROCESSOR", 1).with("priority", 3));
        assertEquals(3, driver.queue(QUEUE).get(0).priority());
        // the recorded version stays: an older versioned event still loses
        driver.send(updated("p", "PROCESSOR", 1).version(5).with("priority", 4));
        assertEquals(3, driver.queue(QUEUE).get(0).priority());
    }

    @Test
    void aVersionedRemovalKeepsALateEnqueueFromResurrectingTheEntry() {
        driver.send(job(1, 0, 1).version(2), dequeued("p", "PROCESSOR", 1).version(3));
        driver.send(job(1, 0, 1).version(3), updated("p", "PROCESSOR", 1).version(2).with("priority", 1));
        assertEquals(List.of(), driver.ids(QUEUE));
        assertEquals(0, driver.total(QUEUE));

        driver.send(job(1, 4, 1).version(4)); // a greater version is a new stay in the queue
        assertEquals(List.of(1L), driver.ids(QUEUE));
        assertEquals(0, driver.markerCount());
    }

    @Test
    void aRemovalSeenBeforeItsEnqueueStillWins() {
        driver.send(dequeued("p", "PROCESSOR", 1).version(3), job(1, 0, 1).version(2));
        assertEquals(List.of(), driver.ids(QUEUE));
    }

    @Test
    void forgetsRemovalMarkersAfterTheirTimeToLive() {
        driver.send(job(1, 0, 1).version(2), dequeued("p", "PROCESSOR", 1).version(3));
        assertEquals(1, driver.markerCount());
        driver.advanceWallClock(Duration.ofMinutes(59));
        assertEquals(1, driver.markerCount());
        driver.advanceWallClock(Duration.ofMinutes(2));
        assertEquals(0, driver.markerCount());
        driver.send(job(1, 0, 1).version(1)); // forgotten: the late event now applies
        assertEquals(List.of(1L), driver.ids(QUEUE));
    }

    @Test
    void countsUpdatesOfUnknownEntriesAndIgnoresThem() {
        driver.send(updated("p", "PROCESSOR", 404).with("priority", 1), dequeued("p", "PROCESSOR", 405));
        assertEquals(List.of(), driver.ids(QUEUE));
        QueueCounters counters = driver.counters(QUEUE);
        assertEquals(1, counters.unknownUpdates());
        assertEquals(0, counters.staleEvents());
    }

    @Test
    void countsEntriesAsTheyComeAndGo() {
        driver.send(job(1, 0, 1), job(2, 0, 2), job(3, 0, 3), dequeued("p", "PROCESSOR", 2),
                dequeued("p", "PROCESSOR", 2));
        assertEquals(2, driver.total(QUEUE));
    }

    @Test
    void sendsBrokenRecordsToTheDeadLetterTopicUnchangedAndGoesOn() {
        byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
        driver.sendRaw("k1".getBytes(StandardCharsets.UTF_8), garbage);
        driver.send(job(1, 51, 1));
        driver.sendRaw(null, null);
        driver.send(job(2, 0, 1));

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters();
        assertEquals(3, dead.size());
        assertEquals("k1", new String(dead.get(0).key(), StandardCharsets.UTF_8));
        assertEquals("not json at all", new String(dead.get(0).value(), StandardCharsets.UTF_8));
        assertTrue(header(dead.get(0), "queueview.dlq.reason").startsWith("value is not JSON"));
        assertEquals(driver.settings().topics().events(), header(dead.get(0), "queueview.dlq.source.topic"));
        assertEquals("0", header(dead.get(0), "queueview.dlq.source.partition"));
        assertEquals("0", header(dead.get(0), "queueview.dlq.source.offset"));
        assertEquals("priority 51 is outside -50..50", header(dead.get(1), "queueview.dlq.reason"));
        assertEquals("1", header(dead.get(1), "queueview.dlq.source.offset"));
        assertEquals("value is null", header(dead.get(2), "queueview.dlq.reason"));
        assertEquals(List.of(2L), driver.ids(QUEUE));
    }

    @Test
    void publishesEveryAppliedChangeOnQueueChanges() throws IOException {
        driver.send(job(1, 0, 1).version(1), updated("p", "PROCESSOR", 1).with("priority", 5).version(2),
                updated("p", "PROCESSOR", 1).with("priority", 6).version(1), // stale: not published
                dequeued("p", "PROCESSOR", 1).version(3).with("reason", "DISPATCHED"),
                dequeued("p", "PROCESSOR", 9)); // unknown: not published
        List<KeyValue<byte[], byte[]>> changes = driver.changes();
        assertEquals(3, changes.size());
        assertEquals("p/PROCESSOR", new String(changes.get(0).key, StandardCharsets.UTF_8));
        JsonNode first = JSON.readTree(changes.get(0).value);
        assertEquals("UPSERT", first.get("change").asText());
        assertEquals(1, first.get("version").asLong());
        assertEquals(0, first.get("entry").get("priority").asInt());
        assertEquals(5, JSON.readTree(changes.get(1).value).get("entry").get("priority").asInt());
        assertEquals(JSON.readTree("{\"change\":\"REMOVE\",\"project_id\":\"p\",\"queue_type\":\"PROCESSOR\","
                + "\"id\":1,\"version\":3,\"reason\":\"DISPATCHED\"}"), JSON.readTree(changes.get(2).value));
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
