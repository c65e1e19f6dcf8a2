package io.queueview.store;

import io.queueview.queue.Entry;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The counts of one queue: entries per priority, per priority and rank_stamp block, and per value of each counted
 * filter field. Written by the stream thread, read by HTTP threads: every method holds the tally's lock for a
 * short walk at most. Blocks are kept as sorted primitive arrays (about 16 bytes a block; a map of boxed keys took
 * ten times that, a gigabyte of heap on the benchmark's million entries).
 */
final class QueueTally {

    private static final int PRIORITIES = Entry.MAX_PRIORITY - Entry.MIN_PRIORITY + 1;

    private final long[] byPriority = new long[PRIORITIES];
    private final Blocks[] blocks = new Blocks[PRIORITIES];
    private final Map<FilterField, Map<String, Long>> byValue = new EnumMap<>(FilterField.class);
    private final Map<Pair, Long> byPair = new HashMap<>();
    private long total;

    synchronized void add(Entry entry, long delta) {
        FilterField[] fields = FilterField.values();
        String[] values = new String[fields.length];
        for (FilterField field : fields) {
            String value = field.counted() ? field.of(entry) : null;
            if (value != null) {
                values[field.ordinal()] = value;
                byValue.computeIfAbsent(field, f -> new HashMap<>()).merge(value, delta, QueueTally::sum);
            }
        }
        for (FilterField first : fields) {
            for (int second = first.ordinal() + 1; second < fields.length; second++) {
                if (values[first.ordinal()] != null && values[second] != null && first.countedWith(fields[second])) {
                    byPair.merge(new Pair(first, values[first.ordinal()], fields[second], values[second]), delta,
                            QueueTally::sum);
                }
            }
        }
        int slot = slot(entry.priority());
        byPriority[slot] += delta;
        if (blocks[slot] == null) {
            blocks[slot] = new Blocks();
        }
        blocks[slot].add(entry.rankStamp() >> QueueKeys.BLOCK_BITS, delta);
        total += delta;
    }

    synchronized boolean isEmpty() {
        return total == 0;
    }

    synchronized long count(FilterField field, String value) {
        return byValue.getOrDefault(field, Map.of()).getOrDefault(value, 0L);
    }

    /** Entries with both values; the fields must be {@link FilterField#countedWith counted together}. */
    synchronized long count(FilterField field, String value, FilterField other, String otherValue) {
        Pair pair = field.ordinal() < other.ordinal() ? new Pair(field, value, other, otherValue)
                : new Pair(other, otherValue, field, value);
        return byPair.getOrDefault(pair, 0L);
    }

    /** A sum for Map.merge: a count that reaches 0 is dropped, so the maps hold only what is queued. */
    private static Long sum(Long count, Long change) {
        return count + change == 0 ? null : count + change;
    }

    /** Two field values, the field of lower ordinal first. */
    private record Pair(FilterField first, String firstValue, FilterField second, String secondValue) {
    }

    /** Where the entry at a 0-based offset in queue order lies; null when the queue is shorter. */
    synchronized QueueCountsStore.Spot spotOf(long offset) {
        long remaining = offset;
        for (int slot = 0; slot < PRIORITIES; slot++) {
            if (remaining < byPriority[slot]) {
                Blocks at = blocks[slot];
                for (int i = 0; i < at.size; i++) {
                    if (remaining < at.counts[i]) {
                        return new QueueCountsStore.Spot(priorityOf(slot), at.starts[i] << QueueKeys.BLOCK_BITS, remaining);
                    }
                    remaining -= at.counts[i];
                }
                throw new IllegalStateException("block counts do not add up to the priority's count");
            }
            remaining -= byPriority[slot];
        }
        return null;
    }

    /** Entries at a higher priority, and at this priority in earlier rank_stamp blocks. */
    synchronized long aheadOfBlock(int priority, long rankStamp) {
        int slot = slot(priority);
        long ahead = 0;
        for (int higher = 0; higher < slot; higher++) {
            ahead += byPriority[higher];
        }
        Blocks at = blocks[slot];
        long block = rankStamp >> QueueKeys.BLOCK_BITS;
        for (int i = 0; at != null && i < at.size && at.starts[i] < block; i++) {
            ahead += at.counts[i];
        }
        return ahead;
    }

    /** The highest priority comes first in queue order. */
    private static int slot(int priority) {
        if (priority < Entry.MIN_PRIORITY || priority > Entry.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is out of range");
        }
        return Entry.MAX_PRIORITY - priority;
    }

    private static int priorityOf(int slot) {
        return Entry.MAX_PRIORITY - slot;
    }

    /** Counts per rank_stamp block of one priority, sorted by block; a count that reaches 0 is dropped. */
    private static final class Blocks {
        private long[] starts = new long[4];
        private long[] counts = new long[4];
        private int size;

        void add(long block, long delta) {
            int at = Arrays.binarySearch(starts, 0, size, block);
            if (at >= 0) {
                counts[at] += delta;
                if (counts[at] == 0) {
                    System.arraycopy(starts, at + 1, starts, at, size - at - 1);
                    System.arraycopy(counts, at + 1, counts, at, size - at - 1);
                    size--;
                }
                return;
            }
            int insert = -at - 1; // new blocks come mostly last: rank_stamps grow with time
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            System.arraycopy(starts, insert, starts, insert + 1, size - insert);
            System.arraycopy(counts, insert, counts, insert + 1, size - insert);
            starts[insert] = block;
            counts[insert] = delta;
            size++;
        }
    }
}
