package io.queueview.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One queue in memory against a plain model (a map of entries, sorted when asked): after random puts, replacements
 * and removals, its order from any offset, each entry's place, its counts per value and per indexed value and
 * type, and its oldest rank_stamp are the model's. Entries spread over a few priorities and many rank_stamp blocks,
 * so offsets and positions skip whole priorities and blocks by their counts. The seed is printed on a failure and
 * can be given with -Dqueueview.seed=.
 */
class QueueViewTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final long BLOCK = 1L << QueueView.BLOCK_BITS;
    private static final String[] OUTPUT_TYPES = {"DATA_MARK", "DATA_SET", null}; // null: the entry has none
    /** The values a filter can ask for (a filter always has a value). */
    private static final String[] FILTERED_OUTPUT_TYPES = {"DATA_MARK", "DATA_SET"};
    private static final String[] CLUSTER_TYPES = {"CCE", "ModelArts"};

    @Test
    void ordersSkipsPlacesAndCountsAsAModelOfItsEntriesDoes() {
        long seed = Long.getLong("queueview.seed", new Random().nextLong());
        Random random = new Random(seed);
        QueueView view = new QueueView(QUEUE);
        Map<Long, Entry> model = new HashMap<>();
        for (int step = 0; step < 6_000; step++) {
            long id = 1 + random.nextInt(1_500);
            if (random.nextInt(4) == 0) {
                if (model.remove(id) != null) {
                    view.remove(id);
                }
            } else {
                Entry entry = entry(random, id);
                assertEquals(model.put(id, entry), entryOrNull(view.put(new QueuedEntry(entry, (long) step))),
                        "seed " + seed + ": the entry replaced");
            }
            if (step % 500 == 499) {
                assertMatches(view, model, random, "seed " + seed + ", step " + step);
            }
        }
    }

    @Test
    void anEmptiedQueueHasNothingFromAnyOffsetAndNoOldestEntry() {
        QueueView view = new QueueView(QUEUE);
        Entry entry = entry(new Random(1), 1);
        view.put(new QueuedEntry(entry, 1L));
        view.remove(1);
        assertEquals(0, view.size());
        assertEquals(false, view.from(0).hasNext());
        assertEquals(false, view.from(3).hasNext());
        assertEquals(OptionalLong.empty(), view.oldestRankStamp());
        assertEquals(0, view.count(FilterField.OUTPUT_TYPE, "DATA_MARK"));
    }

    private static void assertMatches(QueueView view, Map<Long, Entry> model, Random random, String where) {
        List<Entry> sorted = new ArrayList<>(model.values());
        sorted.sort(Entry.QUEUE_ORDER);
        assertEquals(sorted.size(), view.size(), where);
        OptionalLong oldest = sorted.stream().mapToLong(Entry::rankStamp).min();
        assertEquals(oldest, view.oldestRankStamp(), where);
        for (int i = 0; i < 40; i++) {
            int offset = random.nextInt(sorted.size() + 2);
            assertEquals(sorted.subList(Math.min(offset, sorted.size()), Math.min(offset + 5, sorted.size())),
                    take(view.from(offset), 5), where + ": from offset " + offset);
        }
        for (int i = 0; i < 40 && !sorted.isEmpty(); i++) {
            int place = random.nextInt(sorted.size());
            assertEquals(place, view.ahead(sorted.get(place)), where + ": ahead of " + sorted.get(place));
        }
        for (String type : FILTERED_OUTPUT_TYPES) {
            assertEquals(count(sorted, e -> Objects.equals(e.outputType(), type)),
                    view.count(FilterField.OUTPUT_TYPE, type), where + ": output_type " + type);
        }
        for (int lane = 0; lane < 3; lane++) {
            String name = "lane-" + lane;
            List<Entry> expected = sorted.stream().filter(e -> name.equals(e.processorName())).toList();
            assertEquals(expected.size(), view.count(FilterField.PROCESSOR_NAME, name), where + ": " + name);
            assertEquals(expected, take(view.matching(FilterField.PROCESSOR_NAME, name), Integer.MAX_VALUE),
                    where + ": the entries of " + name + " in queue order");
            for (String type : FILTERED_OUTPUT_TYPES) {
                OptionalLong both = view.count(FilterField.PROCESSOR_NAME, name, FilterField.OUTPUT_TYPE, type);
                if (both.isPresent()) { // kept only for index values with many entries
                    assertEquals(count(expected, e -> Objects.equals(e.outputType(), type)), both.getAsLong(),
                            where + ": " + name + " and output_type " + type);
                }
            }
        }
    }

    /** Few priorities and clustered rank_stamps: many entries share a block, many blocks share a priority. */
    private static Entry entry(Random random, long id) {
        int priority = random.nextInt(5) - 2;
        long rankStamp = random.nextInt(40) * BLOCK + random.nextInt(3) * (BLOCK / 3) + random.nextInt(4);
        return new Entry(QUEUE, id, 1_000 + id, priority, rankStamp, 10L + id % 7, "UI", "lane-" + random.nextInt(3),
                "FRAME_EXTRACT", "D" + id, OUTPUT_TYPES[random.nextInt(OUTPUT_TYPES.length)], null, null,
                CLUSTER_TYPES[random.nextInt(2)], "c" + random.nextInt(2));
    }

    private static Entry entryOrNull(QueuedEntry queued) {
        return queued == null ? null : queued.entry();
    }

    private static List<Entry> take(Iterator<Entry> entries, int most) {
        List<Entry> taken = new ArrayList<>();
        while (entries.hasNext() && taken.size() < most) {
            taken.add(entries.next());
        }
        return taken;
    }

    private static long count(List<Entry> entries, Predicate<Entry> matching) {
        return entries.stream().filter(matching).count();
    }
}
