package io.queueview.store;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntToLongFunction;

/**
 * One indexed field of a queue: per value (a long key: the job_id, a text's code, a cluster's two codes), its
 * entries in queue order. A value with few entries (most job_ids and data_ids) keeps them in one shared
 * {@link SlotHash}, 4 bytes of table each, sorted when read; past {@link #FEW} it gets its own {@link SlotOrder} and
 * counts per type, so that a total such as "this cluster and this output_type" is read rather than counted.
 */
final class SlotIndex {

    /** The most entries a value keeps in the shared hash; a value falls back to it at FEW / 4. */
    static final int FEW = 8;

    private final EntryTable table;
    private final IntToLongFunction keyOf;
    private final SlotHash few;
    private final Map<Long, Postings> many = new HashMap<>();

    SlotIndex(EntryTable table, IntToLongFunction keyOf) {
        this.table = table;
        this.keyOf = keyOf;
        this.few = new SlotHash(keyOf);
    }

    void add(int slot) {
        long key = keyOf.applyAsLong(slot);
        Postings postings = many.get(key);
        if (postings != null) {
            postings.add(slot);
        } else if (few.add(slot) == FEW) { // the value's entries no longer few: its own order
            postings = new Postings(table);
            for (int one : few.all(key)) {
                few.remove(one);
                postings.add(one);
            }
            many.put(key, postings);
        }
    }

    void remove(int slot) {
        long key = keyOf.applyAsLong(slot);
        Postings postings = many.get(key);
        if (postings == null) {
            few.remove(slot);
            return;
        }
        postings.remove(slot);
        if (postings.order.size() <= FEW / 4) {
            many.remove(key);
            for (SlotWalk walk = postings.order.from(0); walk.hasNext(); ) {
                few.add(walk.next());
            }
        }
    }

    long count(long key) {
        Postings postings = many.get(key);
        return postings != null ? postings.order.size() : few.count(key);
    }

    /** The entries of a value with a code in a counted column; empty while they are few (no counts kept). */
    OptionalLong count(long key, int column, int code) {
        Postings postings = many.get(key);
        if (postings == null) {
            return few.count(key) == 0 ? OptionalLong.of(0) : OptionalLong.empty();
        }
        return OptionalLong.of(code == TextCodes.UNKNOWN ? 0 : postings.counts.count(column, code));
    }

    /** The value's slots in queue order, from the first at or after a place. */
    SlotWalk from(long key, int priority, long rankStamp, long id) {
        Postings postings = many.get(key);
        if (postings != null) {
            return postings.order.from(priority, rankStamp, id);
        }
        int[] slots = few.all(key);
        for (int i = 1; i < slots.length; i++) { // insertion sort: at most FEW
            int slot = slots[i];
            int j = i - 1;
            for (; j >= 0 && table.compare(slots[j], slot) > 0; j--) {
                slots[j + 1] = slots[j];
            }
            slots[j + 1] = slot;
        }
        int start = 0;
        while (start < slots.length && table.compare(slots[start], priority, rankStamp, id) < 0) {
            start++;
        }
        int first = start;
        return new SlotWalk() {
            private int at = first;

            @Override
            public boolean hasNext() {
                return at < slots.length;
            }

            @Override
            public int next() {
                if (at >= slots.length) {
                    throw new java.util.NoSuchElementException();
                }
                return slots[at++];
            }
        };
    }

    /** A value's entries past the few: their order and counts per type. */
    private static final class Postings {
        final SlotOrder order;
        final TypeCounts counts = new TypeCounts();
        private final EntryTable table;

        Postings(EntryTable table) {
            this.table = table;
            this.order = new SlotOrder(table);
        }

        void add(int slot) {
            order.add(slot);
            counts.add(table, slot, 1);
        }

        void remove(int slot) {
            order.remove(slot);
            counts.add(table, slot, -1);
        }
    }
}
