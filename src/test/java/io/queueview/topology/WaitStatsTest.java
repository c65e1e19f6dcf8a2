package io.queueview.topology;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.query.QueueReader;
import io.queueview.query.WaitStats;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.store.QueueStores;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.TestSettings;
import io.queueview.time.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wait statistics against a replayed history whose answers are known: each event is sent at its record time,
 * and the figures — dispatches, their times in queue at p50/p90/p99, the pace, the depth a minute at a time — are
 * computed here from the same history, by brute force.
 */
class WaitStatsTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    /** On a minute, so the minutes below are whole. */
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    /** A percentile reads as its bucket's upper bound: at most this factor above the true wait. */
    private static final double BUCKET_WIDTH = Math.pow(2, 1.0 / 8);

    @TempDir
    Path dataDir;
    private ProjectorDriver driver;
    private QueueReader reader;
    /** The history sent, in order: what the expected figures are computed from. */
    private final List<Timed> history = new ArrayList<>();

    private record Timed(Instant at, long id, String event, String reason) {
    }

    @BeforeEach
    void start() {
        driver = new ProjectorDriver(dataDir);
        reader = new QueueReader(driver, Ticker.SYSTEM);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void countsDispatchesTheirTimesInQueueAndTheDepthOfAKnownHistory() {
        for (long id = 1; id <= 100; id++) {
            enqueue(START, id);
        }
        for (long id = 101; id <= 110; id++) { // queued and cancelled: never dispatched
            enqueue(START.plusSeconds(1), id);
            dequeue(START.plusSeconds(30), id, "CANCELLED");
        }
        for (long id = 1; id <= 100; id++) { // entry i waits i × 10 s
            dequeue(START.plusSeconds(id * 10), id, "DISPATCHED");
        }
        WaitStats stats = reader.stats(QUEUE, START.plus(Duration.ofMinutes(20)));
        // the history starts at START: 21 minutes, each window shortened to them
        assertEquals(21 * 60, stats.lastHour().seconds());
        assertEquals(100, stats.lastHour().dispatched());
        assertEquals(100, stats.lastHour().timed());
        assertEquals(4.76, stats.lastHour().perMinute()); // 100 / 21
        assertWithinABucket(500, stats.lastHour().percentiles().p50());
        assertWithinABucket(900, stats.lastHour().percentiles().p90());
        assertWithinABucket(990, stats.lastHour().percentiles().p99());
        assertEquals(START, stats.depthFrom());
        assertEquals(expectedDepths(START, START.plus(Duration.ofMinutes(20))), stats.depth());
        assertEquals(95, stats.depth().get(0), "minute 0 ends with 100 queued less the 5 dispatched in it");

        WaitStats later = reader.stats(QUEUE, START.plus(Duration.ofHours(2)));
        assertEquals(0, later.lastHour().dispatched());
        assertEquals(60 * 60, later.lastHour().seconds());
        assertNull(later.lastHour().percentiles());
        assertEquals(100, later.lastDay().dispatched());
        assertEquals(121 * 60, later.lastDay().seconds());
        assertEquals(0.83, later.lastDay().perMinute()); // 100 / 121
        assertEquals(121, later.depth().size());
        assertEquals(0, later.depth().get(120));
    }

    @RepeatedTest(4)
    void aRandomHistoryGivesTheFiguresComputedFromIt() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Instant at = START;
        long nextId = 1;
        List<Long> queued = new ArrayList<>();
        Map<Long, Instant> enqueuedAt = new LinkedHashMap<>();
        List<Timed> dispatches = new ArrayList<>();
        for (int i = 0; i < 1500; i++) { // about 3 hours of record time, with lulls
            at = at.plusMillis(random.nextInt(random.nextInt(10) == 0 ? 120_000 : 12_000));
            if (queued.isEmpty() || random.nextInt(5) < 3) {
                enqueue(at, nextId);
                enqueuedAt.put(nextId, at);
                queued.add(nextId++);
            } else {
                long id = queued.remove(random.nextInt(Math.min(queued.size(), 5))); // near the head, mostly
                String reason = random.nextInt(6) == 0 ? "CANCELLED" : "DISPATCHED";
                dequeue(at, id, reason);
                if (reason.equals("DISPATCHED")) {
                    dispatches.add(new Timed(at, id, "DEQUEUE", reason));
                }
            }
        }
        Instant now = at.plusSeconds(random.nextInt(600));
        WaitStats stats = reader.stats(QUEUE, now);
        String what = "seed " + seed;
        long end = minute(now);
        long first = minute(history.get(0).at()); // the history starts with its first event
        checkWindow(stats.lastHour(), Math.max(first, end - 59), end, dispatches, enqueuedAt, what);
        checkWindow(stats.lastDay(), Math.max(first, end - 1439), end, dispatches, enqueuedAt, what);
        Instant firstMinute = Instant.ofEpochSecond(first * 60);
        assertEquals(firstMinute, stats.depthFrom(), what);
        assertEquals(expectedDepths(firstMinute, now), stats.depth(), what);
    }

    @Test
    void keepsTwentyFourHoursBehindTheNewestMinuteAndTheDepthThatStandsAtTheirStart() {
        enqueue(START, 1);
        enqueue(START, 2);
        enqueue(START, 3);
        dequeue(START.plusSeconds(90), 1, "DISPATCHED"); // minute 1: depth 2
        Instant later = START.plus(Duration.ofHours(30));
        enqueue(later, 4); // 30 h on: minutes 0 and 1 are past the 24 h, minute 1 kept for its depth
        dequeue(later.plusSeconds(30), 2, "DISPATCHED");

        WaitStats stats = reader.stats(QUEUE, later.plusSeconds(59));
        assertEquals(1, stats.lastDay().dispatched(), "the dispatch of 30 h ago is out of the 24 h");
        assertEquals(24 * 60 * 60, stats.lastDay().seconds());
        assertWithinABucket(30 * 3600 + 30, stats.lastDay().percentiles().p50());
        assertEquals(later.minus(Duration.ofMinutes(24 * 60 - 1)), stats.depthFrom());
        assertEquals(24 * 60, stats.depth().size());
        assertEquals(2, stats.depth().get(0), "the depth of 30 h ago stands until the next change");
        assertEquals(2, stats.depth().get(24 * 60 - 1), "4 enqueued, 2 dispatched: 2 and 3 and 4 less 2");
        // what the store holds of the queue: minute 1 (its depth), the newest minute, and the queued entries' enqueues
        assertEquals(2 + 2, driver.keys(QueueStores.WAITS).size());
    }

    @Test
    void aStoreRestoredFromItsChangelogGivesTheSameFigures() {
        Random random = new Random(7);
        Instant at = START;
        for (long id = 1; id <= 300; id++) {
            at = at.plusMillis(random.nextInt(20_000));
            enqueue(at, id);
            if (id % 3 == 0) {
                dequeue(at.plusMillis(random.nextInt(5_000)), id - 1 - random.nextInt(2), "DISPATCHED");
            }
        }
        Instant now = at.plusSeconds(30);
        WaitStats before = reader.stats(QUEUE, now);
        try (ProjectorDriver restarted = new ProjectorDriver(TestSettings.in(dataDir.resolve("restarted")))) {
            restarted.restore(QueueStores.WAITS, driver.changelog(QueueStores.WAITS));
            assertEquals(before, new QueueReader(restarted, Ticker.SYSTEM).stats(QUEUE, now));
        }
        assertTrue(before.lastDay().dispatched() > 50, "the history dispatched: " + before.lastDay());
    }

    private static void checkWindow(WaitStats.Window window, long from, long to, List<Timed> dispatches,
                                    Map<Long, Instant> enqueuedAt, String what) {
        List<Long> waits = dispatches.stream().filter(d -> minute(d.at()) >= from && minute(d.at()) <= to)
                .map(d -> Duration.between(enqueuedAt.get(d.id()), d.at()).toMillis()).sorted().toList();
        assertEquals((to - from + 1) * 60, window.seconds(), what);
        assertEquals(waits.size(), window.dispatched(), what);
        assertEquals(waits.size(), window.timed(), what);
        assertEquals(Math.round(waits.size() * 100.0 / (to - from + 1)) / 100.0, window.perMinute(), what);
        if (waits.isEmpty()) {
            assertNull(window.percentiles(), what);
            return;
        }
        assertWithinABucket(nearestRank(waits, 0.50), window.percentiles().p50());
        assertWithinABucket(nearestRank(waits, 0.90), window.percentiles().p90());
        assertWithinABucket(nearestRank(waits, 0.99), window.percentiles().p99());
    }

    /** The q-th of the sorted waits, in seconds; under a second reads as the first bucket's bound. */
    private static double nearestRank(List<Long> sortedMillis, double q) {
        long millis = sortedMillis.get((int) Math.max(0, Math.ceil(q * sortedMillis.size()) - 1));
        return Math.max(millis, 999) / 1000.0;
    }

    private static long minute(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), 60_000L);
    }

    private static void assertWithinABucket(double trueSeconds, double reported) {
        assertTrue(reported >= trueSeconds && reported <= Math.max(1, trueSeconds * BUCKET_WIDTH) + 0.001,
                reported + " s does not stand for " + trueSeconds + " s");
    }

    private void enqueue(Instant at, long id) {
        history.add(new Timed(at, id, "ENQUEUE", null));
        driver.sendAt(at, enqueued("p", "PROCESSOR", id));
    }

    private void dequeue(Instant at, long id, String reason) {
        history.add(new Timed(at, id, "DEQUEUE", reason));
        driver.sendAt(at, dequeued("p", "PROCESSOR", id).with("reason", reason));
    }

    /** The depth at the end of each minute from the first to the last, replaying the history. */
    private List<Long> expectedDepths(Instant first, Instant last) {
        List<Long> depths = new ArrayList<>();
        for (Instant minute = first; !minute.isAfter(last); minute = minute.plus(Duration.ofMinutes(1))) {
            Instant end = minute.plus(Duration.ofMinutes(1));
            Map<Long, Boolean> queued = new HashMap<>();
            for (Timed event : history) {
                if (event.at().isBefore(end)) {
                    queued.put(event.id(), event.event().equals("ENQUEUE"));
                }
            }
            depths.add(queued.values().stream().filter(q -> q).count());
        }
        return depths;
    }
}
