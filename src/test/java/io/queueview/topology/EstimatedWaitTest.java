package io.queueview.topology;

import static io.queueview.testing.EventJson.dequeued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.queueview.query.EntryPosition;
import io.queueview.query.QueueReader;
import io.queueview.query.WaitEstimate;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.store.Dispatches;
import io.queueview.testing.ProjectorDriver;
import io.queueview.testing.SimulatedScheduler;
import io.queueview.time.Ticker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimated wait, from a simulated scheduler that dispatches at a known pace in record time: the projector
 * counts DISPATCHED removals by their record time, and the estimate is the position over that pace in the window
 * that ends at the time asked for.
 */
class EstimatedWaitTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    /** On a 10 s step, so the windows below are whole. */
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;
    private ProjectorDriver driver;
    private QueueReader reader;
    private SimulatedScheduler scheduler;

    @BeforeEach
    void start() {
        driver = new ProjectorDriver(dataDir);
        reader = new QueueReader(driver, Ticker.SYSTEM);
        scheduler = new SimulatedScheduler("p", "PROCESSOR", START);
        send(scheduler.enqueue(40));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void estimatesTheWaitAsThePositionOverTheDispatchPace() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(20), "DISPATCHED")); // 30 a minute

        WaitEstimate tenth = estimateAt(10, scheduler.now());
        assertEquals(30.0, tenth.dispatchesPerMinute());
        assertEquals(900, tenth.windowSeconds()); // the last 15 minutes: 450 dispatches
        assertEquals(20, tenth.waitSeconds());
        assertEquals(2, estimateAt(1, scheduler.now()).waitSeconds());
        assertEquals(80, estimateAt(40, scheduler.now()).waitSeconds());
    }

    @Test
    void givesNoEstimateBelowTheLeastDispatchesInTheWindow() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, TWO_SECONDS.multipliedBy(Dispatches.MIN_DISPATCHES - 1),
                "DISPATCHED"));
        assertNull(estimateAt(1, scheduler.now()), "9 dispatches");

        send(scheduler.removeHeadEvery(TWO_SECONDS, TWO_SECONDS, "DISPATCHED"));
        // 10 in the 20 s since the queue's first event: 30 a minute over those 20 s, not diluted over a minute
        WaitEstimate tenth = estimateAt(10, scheduler.now());
        assertEquals(30.0, tenth.dispatchesPerMinute());
        assertEquals(20, tenth.windowSeconds());
        assertEquals(20, tenth.waitSeconds());
    }

    @Test
    void aYoungQueueIsPacedOverTheTimeItWasWatched() {
        send(scheduler.enqueue(200));
        send(scheduler.removeHeadEvery(Duration.ofMillis(500), Duration.ofSeconds(30), "DISPATCHED")); // 2 a second
        WaitEstimate hundredFirst = estimateAt(101, scheduler.now());
        assertEquals(120.0, hundredFirst.dispatchesPerMinute(), 1.0);
        assertEquals(30, hundredFirst.windowSeconds());
        assertEquals(50.5, hundredFirst.waitSeconds(), 1.0); // 101 / 2 a second, not 113
    }

    @Test
    void aWaitLongerThanTheWindowIsReadOverTheHour() {
        send(scheduler.enqueue(1_100));
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(45), "DISPATCHED")); // 30 a minute
        send(scheduler.removeHeadEvery(Duration.ofSeconds(1), Duration.ofMinutes(15), "DISPATCHED")); // then 60
        WaitEstimate thousandth = estimateAt(1_000, scheduler.now());
        // by the last 15 minutes 1,000 s, longer than they: by the hour (since the first dispatch), 2,250 in 3,598 s
        assertEquals(3598, thousandth.windowSeconds());
        assertEquals(37.52, thousandth.dispatchesPerMinute(), 0.01);
        assertEquals(1599, thousandth.waitSeconds(), 1);
        assertEquals(900, estimateAt(10, scheduler.now()).windowSeconds()); // a short wait keeps the quarter
    }

    @Test
    void aWindowShorterThanTwoCountsIsNoPace() {
        send(scheduler.removeHeadEvery(Duration.ofMillis(500), Duration.ofSeconds(15), "DISPATCHED"));
        assertNull(estimateAt(1, scheduler.now()), "30 dispatches in 15 s: one burst, not yet a pace");
    }

    @Test
    void aWatchedQueueOfLessThanTheWindowIsNotTakenForASlowOne() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(5), "DISPATCHED"));
        // watched since its first event, 5 minutes ago: 150 dispatches over 5 minutes, not over 15
        WaitEstimate tenth = estimateAt(10, scheduler.now());
        assertEquals(30.0, tenth.dispatchesPerMinute());
        assertEquals(300, tenth.windowSeconds());
    }

    @Test
    void countsOnlyRemovalsWithReasonDispatched() {
        for (int minute = 0; minute < 20; minute++) {
            send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofSeconds(20), "DISPATCHED"));
            send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofSeconds(10), "CANCELLED"));
            send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofSeconds(10), "FAILED"));
            send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofSeconds(10), "DELETED"));
            send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofSeconds(10), null));
        }
        // ten DISPATCHED a minute among thirty removals
        assertEquals(10.0, estimateAt(10, scheduler.now()).dispatchesPerMinute());
        // yet each removal of the head moves the tenth up one: 30 a minute, so about 20 s, not 60
        assertEquals(20, estimateAt(10, scheduler.now()).waitSeconds(), 4);
        assertEquals(-20.0, estimateAt(10, scheduler.now()).arrivalsAheadPerMinute(), 1.0);
    }

    @Test
    void oldDispatchesFallOutOfTheSlidingWindow() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(20), "DISPATCHED")); // 30 a minute
        send(scheduler.removeHeadEvery(Duration.ofSeconds(10), Duration.ofMinutes(5), "DISPATCHED")); // then 6
        // the window holds 10 minutes at 30 and 5 at 6: 330 in 15 minutes
        assertEquals(22.0, estimateAt(10, scheduler.now()).dispatchesPerMinute());

        send(scheduler.removeHeadEvery(Duration.ofSeconds(10), Duration.ofMinutes(10), "DISPATCHED"));
        WaitEstimate slower = estimateAt(10, scheduler.now());
        assertEquals(6.0, slower.dispatchesPerMinute());
        assertEquals(100, slower.waitSeconds());
    }

    @Test
    void aQueueThatStopsDispatchingReadsSlowerThenHasNoEstimate() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(20), "DISPATCHED"));
        Instant last = scheduler.now();

        // the window ends at the time asked for, not at the last dispatch
        assertEquals(20.0, estimateAt(10, last.plus(Duration.ofMinutes(5))).dispatchesPerMinute());
        assertEquals(30, estimateAt(10, last.plus(Duration.ofMinutes(5))).waitSeconds());
        // (last - 18 s, last]: the least that still gives a pace
        assertEquals(Dispatches.MIN_DISPATCHES * 60.0 / 900, estimateAt(10, last.plusSeconds(880))
                .dispatchesPerMinute(), 0.01);
        assertNull(estimateAt(10, last.plusSeconds(890)));
        assertNull(estimateAt(10, last.plus(Duration.ofHours(1))));
    }

    @Test
    void aClockBehindTheRecordsEndsTheWindowAtTheLatestDispatch() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(20), "DISPATCHED"));
        assertEquals(estimateAt(10, scheduler.now()), estimateAt(10, scheduler.now().minus(Duration.ofHours(1))));
    }

    @Test
    void aRemovalAppliedTwiceOrOfAnEntryNotQueuedCountsOnce() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, TWO_SECONDS.multipliedBy(Dispatches.MIN_DISPATCHES - 1),
                "DISPATCHED"));
        Instant at = scheduler.now();
        // delivered again, and the removal of an entry never queued: neither is a dispatch
        driver.sendAt(at, dequeued("p", "PROCESSOR", 1).with("reason", "DISPATCHED"));
        driver.sendAt(at, dequeued("p", "PROCESSOR", 4040).with("reason", "DISPATCHED"));
        assertNull(estimateAt(1, at));
    }

    @Test
    void survivesInTheCountersStoreWithTheQueueCounts() {
        send(scheduler.removeHeadEvery(TWO_SECONDS, Duration.ofMinutes(20), "DISPATCHED"));
        driver.send(io.queueview.testing.EventJson.updated("p", "PROCESSOR", 99_999).with("priority", 1));
        // the view's figure is what the logged store holds: what a restored task puts back into memory
        Dispatches stored = driver.counters(QUEUE).dispatches();
        assertEquals(1, driver.counters(QUEUE).unknownUpdates());
        assertEquals(stored.rate(scheduler.now().toEpochMilli()).perMinute(),
                estimateAt(10, scheduler.now()).dispatchesPerMinute());
    }

    private WaitEstimate estimateAt(int position, Instant now) {
        long id = scheduler.queued().get(position - 1);
        EntryPosition entry = reader.entry(QUEUE, id, now).orElseThrow();
        assertEquals(position, entry.position());
        return entry.estimate();
    }

    private void send(List<SimulatedScheduler.Timed> events) {
        events.forEach(timed -> driver.sendAt(timed.at(), timed.event()));
    }
}
