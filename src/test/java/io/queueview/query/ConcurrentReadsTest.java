package io.queueview.query;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.command.MoveEntry;
import io.queueview.queue.Entry;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.store.QueueViews;
import io.queueview.testing.ProjectorDriver;
import io.queueview.time.Ticker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List and position calls on several threads while the projector applies events and moves on another: every
 * answer is one moment of the queue — the total equals the entries counted, the order holds, a position lies
 * within its queue.
 */
class ConcurrentReadsTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final int IDS = 150; // below a page of 200: a whole queue is one page, so its total can be counted
    private static final int READERS = 3;

    @TempDir
    Path dataDir;

    @Test
    void everyAnswerIsAConsistentSnapshotWhileTheProjectorWrites() throws InterruptedException {
        long seed = Long.getLong("queueview.seed", new Random().nextLong()); // a failure's seed, given back to rerun it
        Random random = new Random(seed);
        Queue<String> inconsistencies = new ConcurrentLinkedQueue<>();
        AtomicLong answers = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            QueueViews views = driver.views();
            QueueReader reader = new QueueReader(new LocalStores() {
                @Override
                public boolean ready() {
                    return true;
                }

                @Override
                public long lag(int partition) {
                    return 0;
                }

                @Override
                public QueuePartition partitionOf(QueueId queue) {
                    return new QueuePartition(0, views);
                }
            }, Ticker.SYSTEM);
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                long readerSeed = seed + r;
                Thread thread = new Thread(() -> read(reader, new Random(readerSeed), writing, answers, inconsistencies),
                        "reader-" + r);
                thread.start();
                readers.add(thread);
            }
            try {
                for (int step = 0; step < 4_000; step++) {
                    long id = 1 + random.nextInt(IDS);
                    switch (random.nextInt(5)) {
                        case 0 -> driver.send(dequeued("p", "PROCESSOR", id));
                        case 1 -> driver.send(updated("p", "PROCESSOR", id).with("priority", random.nextInt(5) - 2));
                        case 2 -> driver.submit(new MoveEntry("m" + step, QUEUE, id,
                                MoveOperation.values()[random.nextInt(MoveOperation.values().length)]));
                        default -> driver.send(enqueued("p", "PROCESSOR", id).with("priority", random.nextInt(5) - 2)
                                .with("rank_stamp", random.nextInt(50))
                                .with("output_type", random.nextBoolean() ? "DATA_MARK" : "DATA_SET")
                                // most on one cluster: its index holds more than 32 and keeps counts per type
                                .with("cluster_type", "CCE").with("cluster_id", random.nextInt(8) == 0 ? "c2" : "c1"));
                    }
                }
            } finally {
                writing.set(false);
                for (Thread thread : readers) {
                    thread.join();
                }
            }
        }
        assertTrue(inconsistencies.isEmpty(), "seed " + seed + ": " + inconsistencies.size() + " inconsistent answers, "
                + "the first: " + inconsistencies.peek());
        // readers that barely ran would prove nothing: each pass of a reader is one query of several shapes
        assertTrue(answers.get() >= READERS * 100L, "the readers answered only " + answers.get() + " times");
    }

    private static void read(QueueReader reader, Random random, AtomicBoolean writing, AtomicLong answers,
                             Queue<String> inconsistencies) {
        Filters cluster = new Filters(null, null, null, null, null, "CCE", "c1");
        Filters clusterAndType = new Filters(null, "DATA_MARK", null, null, null, "CCE", "c1");
        while (writing.get()) {
            try {
                for (Filters filters : List.of(Filters.NONE, cluster, clusterAndType)) {
                    Page page = reader.list(new ListQuery(QUEUE, filters, ListQuery.MAX_LIMIT, 0));
                    check(page.total() == page.entries().size(),
                            () -> filters + ": total " + page.total() + " but " + page.entries().size() + " listed",
                            inconsistencies);
                    for (int i = 1; i < page.entries().size(); i++) {
                        Entry before = page.entries().get(i - 1);
                        Entry after = page.entries().get(i);
                        check(Entry.QUEUE_ORDER.compare(before, after) < 0,
                                () -> filters + ": " + before + " listed before " + after, inconsistencies);
                    }
                    check(page.entries().stream().allMatch(filters::matches),
                            () -> filters + ": an entry that does not match was listed", inconsistencies);
                }
                long id = 1 + random.nextInt(IDS);
                Optional<EntryPosition> position = reader.entry(QUEUE, id);
                position.ifPresent(at -> check(at.position() >= 1 && at.position() <= at.queueTotal(),
                        () -> "entry " + id + " at " + at.position() + " of " + at.queueTotal(), inconsistencies));
                answers.incrementAndGet();
            } catch (RuntimeException e) { // a reader that sees a structure mid-change may also throw
                inconsistencies.add(e.toString());
            }
        }
    }

    private static void check(boolean holds, java.util.function.Supplier<String> what, Queue<String> inconsistencies) {
        if (!holds) {
            inconsistencies.add(what.get());
        }
    }
}
