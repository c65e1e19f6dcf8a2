package io.queueview.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The move rule on its own, over a plain sorted set: every operation puts the entry exactly where asked by
 * priority and rank_stamp alone, and lists exactly the entries whose values change.
 */
class MoveRuleTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    @RepeatedTest(20)
    void everyOperationPutsTheEntryWhereAskedAndListsExactlyTheChangedEntries() throws MoveRule.NoRoom {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        SortedQueue queue = new SortedQueue();
        int size = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
        for (long id = 1; id <= size; id++) {
            // tiny value ranges: equal priorities, equal and adjacent rank_stamps are the common case
            queue.put(entry(id, random.nextInt(3) - 1, random.nextInt(4)));
        }
        for (int step = 0; step < 200; step++) {
            List<Long> expected = queue.ids();
            long id = expected.get(random.nextInt(expected.size()));
            MoveOperation operation = MoveOperation.values()[random.nextInt(MoveOperation.values().length)];
            String what = "seed " + seed + ", step " + step + ": " + operation + " of " + id + " in " + expected;
            Map<Long, Entry> before = queue.byId();

            List<Entry> changes = MoveRule.apply(before.get(id), operation, queue);
            changes.forEach(queue::put);

            assertEquals(moved(expected, id, operation), queue.ids(), what);
            for (Entry changed : changes) {
                assertNotEquals(before.get(changed.id()), changed, what + ": listed but unchanged");
                assertEquals(before.get(changed.id()).withOrder(changed.priority(), changed.rankStamp()), changed,
                        what + ": a field other than priority or rank_stamp changed");
            }
            long changedCount = queue.byId().entrySet().stream()
                    .filter(e -> !e.getValue().equals(before.get(e.getKey()))).count();
            assertEquals(changedCount, changes.size(), what + ": an entry changed without being listed");
        }
    }

    @Test
    void theHeadUpTheTailDownAndTheOnlyEntryStayWhereTheyAre() throws MoveRule.NoRoom {
        SortedQueue queue = new SortedQueue();
        Entry only = entry(1, 0, 5);
        queue.put(only);
        for (MoveOperation operation : MoveOperation.values()) {
            assertEquals(List.of(), MoveRule.apply(only, operation, queue), operation.name());
        }
        Entry tail = entry(2, 0, 6);
        queue.put(tail);
        assertEquals(List.of(), MoveRule.apply(only, MoveOperation.MOVE_UP, queue));
        assertEquals(List.of(), MoveRule.apply(only, MoveOperation.MOVE_TOP, queue));
        assertEquals(List.of(), MoveRule.apply(tail, MoveOperation.MOVE_DOWN, queue));
        assertEquals(List.of(), MoveRule.apply(tail, MoveOperation.MOVE_TAIL, queue));
    }

    @Test
    void aMovePastTheLastRankStampHasNoRoom() {
        SortedQueue queue = new SortedQueue();
        Entry first = entry(1, 0, 0);
        queue.put(first);
        queue.put(entry(2, 0, Long.MAX_VALUE));
        assertThrows(MoveRule.NoRoom.class, () -> MoveRule.apply(first, MoveOperation.MOVE_TAIL, queue));
    }

    @Test
    void toTheTopTakesTheHeadsPriorityAndOneRankStampLess() throws MoveRule.NoRoom {
        SortedQueue queue = new SortedQueue();
        queue.put(entry(1, 9, 100));
        Entry low = entry(2, -3, 50);
        queue.put(low);
        assertEquals(List.of(low.withOrder(9, 99)), MoveRule.apply(low, MoveOperation.MOVE_TOP, queue));
    }

    /** The list model of a move: where the id ends up among the others. */
    private static List<Long> moved(List<Long> ids, long id, MoveOperation operation) {
        List<Long> result = new ArrayList<>(ids);
        int at = result.indexOf(id);
        result.remove(at);
        int to = switch (operation) {
            case MOVE_TOP -> 0;
            case MOVE_TAIL -> result.size();
            case MOVE_UP -> Math.max(0, at - 1);
            case MOVE_DOWN -> Math.min(result.size(), at + 1);
        };
        result.add(to, id);
        return result;
    }

    private static Entry entry(long id, int priority, long rankStamp) {
        return new Entry(QUEUE, id, id, priority, rankStamp, null, null, null, null, "D" + id, null, null, null,
                null, null);
    }

    /** A queue as a sorted set and a map by id: the simplest {@link QueueOrder}. */
    private static final class SortedQueue implements QueueOrder {
        private final TreeSet<Entry> order = new TreeSet<>(Entry.QUEUE_ORDER);
        private final Map<Long, Entry> byId = new HashMap<>();

        void put(Entry entry) {
            Entry replaced = byId.put(entry.id(), entry);
            if (replaced != null) {
                assertTrue(order.remove(replaced));
            }
            order.add(entry);
        }

        List<Long> ids() {
            return order.stream().map(Entry::id).toList();
        }

        Map<Long, Entry> byId() {
            return new HashMap<>(byId);
        }

        @Override
        public Entry first() {
            return order.isEmpty() ? null : order.first();
        }

        @Override
        public Entry last() {
            return order.isEmpty() ? null : order.last();
        }

        @Override
        public Entry before(Entry entry) {
            return order.lower(entry);
        }

        @Override
        public Entry after(Entry entry) {
            return order.higher(entry);
        }

        @Override
        public Iterator<Entry> following(Entry entry) {
            return order.tailSet(entry, false).iterator();
        }
    }
}
