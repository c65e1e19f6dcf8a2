package io.queueview.topology;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.query.QueueReader;
import io.queueview.query.WaitEstimate;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import io.queueview.time.Ticker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an estimated wait goes by besides the queue's pace: the pace of the entry's own cluster, among the entries of
 * its cluster ahead of it; the arrivals that land ahead of it; and no estimate where either cannot be trusted.
 */
class EstimateBasisTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dataDir;
    private ProjectorDriver driver;
    private QueueReader reader;
    private long nextId = 1;

    @BeforeEach
    void start() {
        driver = new ProjectorDriver(dataDir);
        reader = new QueueReader(driver, Ticker.SYSTEM);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /**
     * Two clusters queued one after the other in turn (six of fast, one of slow), fast dispatching one a second,
     * slow one every ten, for ten minutes.
     */
    private Deque<Long> twoClusters(int slowEvery) {
        return twoClusters(slowEvery, "slow");
    }

    /** As {@link #twoClusters(int)}, the slow entries naming this cluster (null: none). */
    private Deque<Long> twoClusters(int slowEvery, String slowCluster) {
        Deque<Long> fast = new ArrayDeque<>();
        Deque<Long> slow = new ArrayDeque<>();
        for (int i = 0; i < 800; i++) {
            boolean isSlow = i % 7 == 6;
            long id = enqueue(START, 0, i, isSlow ? slowCluster : "fast");
            (isSlow ? slow : fast).addLast(id);
        }
        for (int second = 1; second <= 600; second++) {
            Instant at = START.plusSeconds(second);
            dispatch(at, fast.removeFirst());
            if (second % slowEvery == 0) {
                dispatch(at, slow.removeFirst());
            }
        }
        return slow;
    }

    @Test
    void anEntryThatNamesAClusterWaitsForThatClustersPace() {
        Deque<Long> slow = twoClusters(10);
        long fifthSlow = slow.stream().skip(4).findFirst().orElseThrow();
        WaitEstimate wait = reader.entry(QUEUE, fifthSlow, START.plusSeconds(600)).orElseThrow().estimate();

        assertEquals(WaitEstimate.Basis.CLUSTER, wait.basis());
        assertEquals(6.0, wait.clusterDispatchesPerMinute(), 0.1); // 60 of the 660 dispatches
        assertEquals(66.0, wait.dispatchesPerMinute(), 0.1); // the queue's pace keeps its meaning
        assertEquals(50, wait.waitSeconds(), 1); // 5th of its cluster at 1 every 10 s; by the queue's pace 5-6 s
    }

    @Test
    void anEntryThatNamesNoClusterAmongOnesThatDoWaitsForThePaceOfThoseThatNameNone() {
        Deque<Long> unnamed = twoClusters(10, null);
        long fifth = unnamed.stream().skip(4).findFirst().orElseThrow();
        WaitEstimate wait = reader.entry(QUEUE, fifth, START.plusSeconds(600)).orElseThrow().estimate();

        assertEquals(WaitEstimate.Basis.NO_CLUSTER, wait.basis());
        assertEquals(6.0, wait.clusterDispatchesPerMinute(), 0.1);
        assertEquals(50, wait.waitSeconds(), 1);
    }

    @Test
    void aQueueWhoseEntriesNameNoClusterGoesByTheQueuesPace() {
        arrivalsAhead(1_000); // no cluster anywhere, no arrival ahead
        WaitEstimate tenth = reader.list(new ListQuery(QUEUE, Filters.NONE, 1, 9), START.plusSeconds(600))
                .waits().get(0);
        assertEquals(WaitEstimate.Basis.QUEUE, tenth.basis());
        assertEquals(10, tenth.waitSeconds());
    }

    @Test
    void aListedEntryGetsItsClustersEstimateToo() {
        Deque<Long> slow = twoClusters(10);
        long fifthSlow = slow.stream().skip(4).findFirst().orElseThrow();
        long position = reader.entry(QUEUE, fifthSlow, START.plusSeconds(600)).orElseThrow().position();
        var page = reader.list(new ListQuery(QUEUE, Filters.NONE, 1, (int) position - 1), START.plusSeconds(600));
        assertEquals(fifthSlow, page.entries().get(0).id());
        assertEquals(50, page.waits().get(0).waitSeconds(), 1);
    }

    @Test
    void noEstimateForAClusterThatDispatchedTooFewToTell() {
        Deque<Long> slow = twoClusters(120); // 5 in ten minutes
        long firstSlow = slow.getFirst();
        assertNull(reader.entry(QUEUE, firstSlow, START.plusSeconds(600)).orElseThrow().estimate());
        // in a list, so do its entries; the other cluster's entries keep theirs
        var page = reader.list(new ListQuery(QUEUE, Filters.NONE, 50, 0), START.plusSeconds(600));
        for (int i = 0; i < page.entries().size(); i++) {
            if (page.entries().get(i).clusterId().equals("slow")) {
                assertNull(page.waits().get(i));
            } else {
                assertNotNull(page.waits().get(i));
            }
        }
    }

    /**
     * 300 entries of priority 0; for ten minutes the head is dispatched every second, a new entry joins the tail
     * every second, and one of priority 10 — ahead of every entry of priority 0 — every arriveEvery seconds.
     */
    private void arrivalsAhead(int arriveEvery) {
        Deque<Long> high = new ArrayDeque<>();
        Deque<Long> low = new ArrayDeque<>();
        for (int i = 0; i < 300; i++) {
            low.addLast(enqueue(START, 0, i, null));
        }
        for (int second = 1; second <= 600; second++) {
            Instant at = START.plusSeconds(second);
            dispatch(at, high.isEmpty() ? low.removeFirst() : high.removeFirst());
            low.addLast(enqueue(at, 0, 1_000 + second, null));
            if (second % arriveEvery == 0) {
                high.addLast(enqueue(at, 10, second, null));
            }
        }
    }

    @Test
    void arrivalsThatJumpAheadLengthenTheWait() {
        arrivalsAhead(4);
        WaitEstimate hundredth = reader.list(new ListQuery(QUEUE, Filters.NONE, 1, 99), START.plusSeconds(600))
                .waits().get(0);
        assertEquals(15.0, hundredth.arrivalsAheadPerMinute(), 0.5); // one every 4 s
        assertEquals(60.0, hundredth.dispatchesPerMinute(), 0.1);
        // it moves up one a second and back one every 4 s: 100 / 0.75 a second, not 100 s
        assertEquals(133, hundredth.waitSeconds(), 5);
    }

    @Test
    void noEstimateWhereArrivalsAheadKeepPaceWithTheDispatches() {
        arrivalsAhead(1);
        assertNull(reader.list(new ListQuery(QUEUE, Filters.NONE, 1, 99), START.plusSeconds(600)).waits().get(0),
                "an entry behind as many arrivals as dispatches may never move");
    }

    private long enqueue(Instant at, int priority, long rankStamp, String cluster) {
        long id = nextId++;
        EventJson event = enqueued("p", "PROCESSOR", id).with("priority", priority).with("rank_stamp", rankStamp);
        if (cluster != null) {
            event.with("cluster_type", "CCE").with("cluster_id", cluster);
        }
        driver.sendAt(at, event);
        return id;
    }

    private void dispatch(Instant at, long id) {
        driver.sendAt(at, dequeued("p", "PROCESSOR", id).with("reason", "DISPATCHED"));
    }
}
