package io.queueview.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact view's structures past their small cases, against a plain model: enough entries that the order
 * splits and merges chunks, the id table grows and shrinks, index values move between the shared table and their
 * own order (data_ids and job_ids of 1 to 30 entries), and dropped workspace_ids make the text arena compact; every
 * entry comes back whole, texts and version included. The seed is printed on a failure (-Dqueueview.seed=).
 */
class CompactViewTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    @Test
    void aBigChurningQueueAnswersAsItsModel() {
        long seed = Long.getLong("queueview.seed", new Random().nextLong());
        Random random = new Random(seed);
        QueueView view = new QueueView(QUEUE);
        Map<Long, QueuedEntry> model = new HashMap<>();
        for (int step = 0; step < 120_000; step++) {
            long id = 1 + random.nextInt(step < 60_000 ? 30_000 : 3_000); // grows, then drains to a tenth
            if (random.nextInt(step < 60_000 ? 4 : 2) == 0) {
                QueuedEntry removed = model.remove(id);
                assertEquals(removed, view.remove(id), "seed " + seed + ": the entry removed");
            } else {
                QueuedEntry queued = new QueuedEntry(entry(random, id), random.nextBoolean() ? (long) step : null);
                assertEquals(model.put(id, queued), view.put(queued), "seed " + seed + ": the entry replaced");
            }
            if (step % 20_000 == 19_999) {
                assertMatches(view, model, random, "seed " + seed + ", step " + step);
            }
        }
        for (Long id : new ArrayList<>(model.keySet())) {
            view.remove(id);
        }
        assertEquals(0, view.size());
        assertEquals(false, view.from(0).hasNext());
    }

    @Test
    void aQueueLoadedAsARebuildAnswersAsItsModelAndThenChurns() {
        long seed = Long.getLong("queueview.seed", new Random().nextLong());
        Random random = new Random(seed);
        QueueView view = new QueueView(QUEUE);
        Map<Long, QueuedEntry> model = new HashMap<>();
        for (long id = 1; id <= 40_000; id++) { // in id order, as the entries store holds them
            QueuedEntry queued = new QueuedEntry(entry(random, id), random.nextBoolean() ? id : null);
            model.put(id, queued);
            view.stage(queued);
        }
        QueuedEntry again = new QueuedEntry(entry(random, 7), null); // an id twice: linked, then put in its place
        view.stage(again);
        model.put(7L, again);
        view.linkStaged();
        assertMatches(view, model, random, "seed " + seed + ", loaded");
        for (int step = 0; step < 20_000; step++) {
            long id = 1 + random.nextInt(50_000);
            if (random.nextBoolean()) {
                assertEquals(model.remove(id), view.remove(id), "seed " + seed + ": the entry removed");
            } else {
                QueuedEntry queued = new QueuedEntry(entry(random, id), null);
                assertEquals(model.put(id, queued), view.put(queued), "seed " + seed + ": the entry replaced");
            }
        }
        assertMatches(view, model, random, "seed " + seed + ", after churn");
    }

    private static void assertMatches(QueueView view, Map<Long, QueuedEntry> model, Random random, String where) {
        List<Entry> sorted = new ArrayList<>();
        model.values().forEach(queued -> sorted.add(queued.entry()));
        sorted.sort(Entry.QUEUE_ORDER);
        assertEquals(sorted, take(view.from(0), Integer.MAX_VALUE), where + ": the whole order");
        for (int i = 0; i < 200; i++) {
            int place = random.nextInt(sorted.size());
            Entry entry = sorted.get(place);
            assertEquals(place, view.ahead(entry), where + ": ahead of " + entry);
            assertEquals(model.get(entry.id()), view.get(entry.id()), where + ": by id");
            assertEquals(sorted.subList(place + 1, Math.min(place + 4, sorted.size())),
                    take(view.walkAfter(OrderKey.of(entry)), 3), where + ": after " + entry);
            assertEquals(place == 0 ? null : sorted.get(place - 1), view.before(entry), where + ": before");
            for (FilterField field : List.of(FilterField.DATA_ID, FilterField.JOB_ID)) {
                Object value = field.of(entry);
                List<Entry> expected = sorted.stream().filter(e -> value.equals(field.of(e))).toList();
                assertEquals(expected.size(), view.count(field, value), where + ": count of " + field + " " + value);
                assertEquals(expected, take(view.matching(field, value), Integer.MAX_VALUE),
                        where + ": " + field + " " + value);
                int from = random.nextInt(expected.size());
                assertEquals(expected.subList(from + 1, expected.size()),
                        take(view.matchingAfter(field, value, OrderKey.of(expected.get(from))), Integer.MAX_VALUE),
                        where + ": " + field + " " + value + " after " + expected.get(from));
            }
        }
    }

    private static Entry entry(Random random, long id) {
        int priority = random.nextInt(4) == 0 ? random.nextInt(101) - 50 : 0;
        long rankStamp = 1_764_547_200_000L + random.nextInt(5_000) * 250L;
        String workspace = "workspace-" + Long.toHexString(random.nextLong()) + "-".repeat(random.nextInt(60));
        return new Entry(QUEUE, id, 1 + random.nextInt(4_000), priority, rankStamp,
                random.nextInt(5) == 0 ? null : (long) random.nextInt(300), "USER", "proc-" + random.nextInt(7),
                "FRAME_EXTRACT", "D" + random.nextInt(2_000), random.nextBoolean() ? "DATA_SET" : null, "2Core_8GiB",
                random.nextInt(10) == 0 ? null : workspace, random.nextBoolean() ? "CCE" : null, "c" + random.nextInt(3));
    }

    private static List<Entry> take(Iterator<Entry> entries, int most) {
        List<Entry> taken = new ArrayList<>();
        while (entries.hasNext() && taken.size() < most) {
            taken.add(entries.next());
        }
        return taken;
    }
}
