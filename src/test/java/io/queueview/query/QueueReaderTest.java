package io.queueview.query;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.command.MoveEntry;
import io.queueview.queue.Entry;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import io.queueview.time.Ticker;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property test of the read side against brute force: whatever the indexes, counts and skips do, a page (from an
 * offset, or after a place in queue order), its total, whether more follow, and a position and what is ahead of it
 * (higher priority, same priority, same cluster) equal sorting the queue and filtering it — after enqueues, updates,
 * removals and moves that keep the secondary indexes and counts busy.
 */
class QueueReaderTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final String[] CLUSTERS = {"c1", "c2", "c3"};

    @TempDir
    Path dataDir;

    @RepeatedTest(8)
    void pagesTotalsAndPositionsEqualSortingAndFilteringTheQueue() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            QueueReader reader = new QueueReader(driver, Ticker.SYSTEM);
            for (int id = 1; id <= 400; id++) {
                driver.send(entry(random, id));
            }
            driver.send(enqueued("p", "INTERNAL", 1), enqueued("q", "PROCESSOR", 2)); // neighbours, never listed
            for (int i = 0; i < 150; i++) {
                long id = 1 + random.nextInt(400);
                switch (random.nextInt(4)) {
                    case 0 -> driver.send(dequeued("p", "PROCESSOR", id));
                    case 1 -> driver.send(updated("p", "PROCESSOR", id).with("priority", random.nextInt(5) - 2)
                            .with("rank_stamp", rankStamp(random)).with("cluster_id", pick(random, CLUSTERS)));
                    case 2 -> driver.send(entry(random, id));
                    default -> driver.submit(new MoveEntry("m" + i, QUEUE, id,
                            MoveOperation.values()[random.nextInt(4)]));
                }
            }
            List<Entry> queue = driver.stored(QUEUE); // the model: the stored entries, sorted and filtered here
            for (int q = 0; q < 300; q++) {
                Filters filters = filters(random);
                int limit = 1 + random.nextInt(random.nextBoolean() ? 5 : 60);
                int offset = random.nextInt(queue.size() + 20);
                List<Entry> matching = queue.stream().filter(filters::matches).toList();
                List<Entry> expected = matching.subList(Math.min(offset, matching.size()),
                        Math.min(offset + limit, matching.size()));
                Page page = reader.list(new ListQuery(QUEUE, filters, limit, offset));
                String what = "seed " + seed + ", " + filters + " limit " + limit + " offset " + offset;
                assertEquals(expected, page.entries(), what);
                assertEquals(matching.size(), page.total(), what);
                assertEquals(offset + limit < matching.size(), page.more(), what);

                // the page after a place: an entry's (or a place no entry holds) — what a page token continues from
                OrderKey after = random.nextBoolean() && !queue.isEmpty()
                        ? OrderKey.of(queue.get(random.nextInt(queue.size())))
                        : new OrderKey(random.nextInt(5) - 2, rankStamp(random), random.nextInt(420));
                List<Entry> following = matching.stream().filter(after::isBefore).toList();
                Page next = reader.list(new ListQuery(QUEUE, filters, limit, 0, after));
                String whatNext = "seed " + seed + ", " + filters + " limit " + limit + " after " + after;
                assertEquals(following.subList(0, Math.min(limit, following.size())), next.entries(), whatNext);
                assertEquals(matching.size(), next.total(), whatNext);
                assertEquals(following.size() > limit, next.more(), whatNext);
            }
            for (int at = 0; at < queue.size(); at++) {
                EntryPosition position = reader.entry(QUEUE, queue.get(at).id()).orElseThrow();
                Entry entry = queue.get(at);
                String what = "seed " + seed + ", entry " + entry;
                assertEquals(at + 1, position.position(), what);
                assertEquals(queue.size(), position.queueTotal());
                // what is ahead, counted on the model
                List<Entry> before = queue.subList(0, at);
                assertEquals(before.stream().filter(e -> e.priority() > entry.priority()).count(),
                        position.ahead().higherPriority(), what);
                assertEquals(before.stream().filter(e -> e.priority() == entry.priority()).count(),
                        position.ahead().samePriority(), what);
                Long sameCluster = entry.clusterType() == null || entry.clusterId() == null ? null
                        : before.stream().filter(e -> entry.clusterType().equals(e.clusterType())
                                && entry.clusterId().equals(e.clusterId())).count();
                assertEquals(sameCluster, position.ahead().sameCluster(), what);
            }
        }
    }

    private static EventJson entry(Random random, long id) {
        EventJson event = enqueued("p", "PROCESSOR", id).with("priority", random.nextInt(5) - 2)
                .with("rank_stamp", rankStamp(random)).with("data_id", "D" + random.nextInt(20))
                .with("output_type", random.nextBoolean() ? "DATA_MARK" : "DATA_SET");
        if (random.nextInt(4) > 0) {
            event.with("cluster_type", random.nextBoolean() ? "CCE" : "MODELARTS").with("cluster_id", pick(random, CLUSTERS));
        }
        if (random.nextBoolean()) {
            event.with("processor_name", "proc-" + random.nextInt(3));
        }
        return event;
    }

    /** Rank stamps over many 2^16 ms blocks, on both sides of zero, and often right at a block's edge. */
    private static long rankStamp(Random random) {
        long block = (random.nextInt(9) - 4) * 65_536L;
        return random.nextBoolean() ? block + random.nextInt(3) - 1 : block + random.nextInt(65_536);
    }

    private static Filters filters(Random random) {
        return new Filters(
                random.nextInt(6) == 0 ? (long) (1 + random.nextInt(400)) : null,
                random.nextInt(3) == 0 ? (random.nextBoolean() ? "DATA_MARK" : "DATA_SET") : null,
                null,
                random.nextInt(3) == 0 ? "D" + random.nextInt(20) : null,
                random.nextInt(4) == 0 ? "proc-" + random.nextInt(3) : null,
                random.nextInt(3) == 0 ? (random.nextBoolean() ? "CCE" : "MODELARTS") : null,
                random.nextInt(3) == 0 ? pick(random, CLUSTERS) : null);
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
