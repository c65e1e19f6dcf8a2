package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * One queue in memory, as the API reads it: its entries in queue order, by id, per value of each indexed filter
 * field (in queue order too), counts per value of each counted field, and counts per priority and rank_stamp
 * block, so that an offset or a position skips whole blocks and walks at most one.
 * <p>
 * Written by the stream thread that owns the queue's partition, read by HTTP threads: writes take the write lock;
 * other threads reach the reads only through a {@link LockedQueue}, which exists only while {@link #read} holds the
 * read lock, so a page and its total come from one state. The stream thread reads neighbours for moves
 * ({@link QueueOrder}) without the lock: nobody else writes.
 */
final class QueueView implements QueueOrder {

    /** Width of a rank_stamp block in the counts: 2^16 ms, about a minute of enqueues. */
    static final int BLOCK_BITS = 16;
    private static final int PRIORITIES = Entry.MAX_PRIORITY - Entry.MIN_PRIORITY + 1;
    private static final FilterField[] FIELDS = FilterField.values();

    private final QueueId queue;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeSet<Entry> order = new TreeSet<>(Entry.QUEUE_ORDER);
    private final Map<Long, QueuedEntry> byId = new HashMap<>();
    /** Per field (by ordinal): value → its entries in queue order (indexed fields) or its count (counted). */
    private final Map<Object, Matches>[] indexes;
    private final TypeCounts counts = new TypeCounts();
    private final long[] byPriority = new long[PRIORITIES];
    private final Blocks[] blocks = new Blocks[PRIORITIES];

    @SuppressWarnings("unchecked")
    QueueView(QueueId queue) {
        this.queue = queue;
        indexes = new Map[FIELDS.length];
        for (FilterField field : FIELDS) {
            if (field.indexed()) {
                indexes[field.ordinal()] = new HashMap<>();
            }
        }
    }

    // ---- writes: the stream thread ----

    /** Queues the entry in place of the one with its id, if any; returns the one replaced, or null. */
    QueuedEntry put(QueuedEntry queued) {
        lock.writeLock().lock();
        try {
            QueuedEntry replaced = byId.put(queued.entry().id(), queued);
            if (replaced != null) {
                unlink(replaced.entry());
            }
            link(queued.entry());
            return replaced;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Takes the entry with this id out; returns it, or null when it is not queued. */
    QueuedEntry remove(long id) {
        lock.writeLock().lock();
        try {
            QueuedEntry removed = byId.remove(id);
            if (removed != null) {
                unlink(removed.entry());
            }
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void link(Entry entry) {
        order.add(entry);
        for (FilterField field : FIELDS) {
            Object value = field.indexed() ? field.of(entry) : null;
            if (value != null) {
                indexes[field.ordinal()].computeIfAbsent(value, v -> new Matches()).add(entry);
            }
        }
        counts.add(entry, 1);
        count(entry, 1);
    }

    private void unlink(Entry entry) {
        order.remove(entry);
        for (FilterField field : FIELDS) {
            Object value = field.indexed() ? field.of(entry) : null;
            if (value != null) {
                Map<Object, Matches> index = indexes[field.ordinal()];
                Matches matches = index.get(value);
                matches.remove(entry);
                if (matches.size() == 0) {
                    index.remove(value);
                }
            }
        }
        counts.add(entry, -1);
        count(entry, -1);
    }

    private void count(Entry entry, long delta) {
        int slot = slot(entry.priority());
        byPriority[slot] += delta;
        if (blocks[slot] == null) {
            blocks[slot] = new Blocks();
        }
        blocks[slot].add(entry.rankStamp() >> BLOCK_BITS, delta);
    }

    // ---- reads ----

    /**
     * Runs a query under the read lock: whatever it reads of this view is of one moment. The {@link LockedQueue} it
     * gets is closed when it returns, so nothing live (an iterator, say) outlives the lock. The queue's dispatches
     * (null when not watched) come along: they are immutable, read as they were when the query began.
     */
    <T> T read(Dispatches dispatches, Function<LockedQueue, T> query) {
        lock.readLock().lock();
        LockedQueue read = new LockedQueue(this, dispatches);
        try {
            return query.apply(read);
        } finally {
            read.close();
            lock.readLock().unlock();
        }
    }

    QueueId queue() {
        return queue;
    }

    long size() {
        return order.size();
    }

    /**
     * The smallest rank_stamp queued (empty when nothing is): within a priority the queue order is by rank_stamp,
     * so it is the least of each priority's first entry, at most 101 look-ups whatever the queue's size.
     */
    OptionalLong oldestRankStamp() {
        long oldest = Long.MAX_VALUE;
        boolean any = false;
        for (int slot = 0; slot < PRIORITIES; slot++) {
            if (byPriority[slot] > 0) {
                oldest = Math.min(oldest, order.ceiling(probe(priorityOf(slot), Long.MIN_VALUE)).rankStamp());
                any = true;
            }
        }
        return any ? OptionalLong.of(oldest) : OptionalLong.empty();
    }

    boolean isEmpty() {
        return order.isEmpty();
    }

    /** The queued entry with this id, or null; for the stream thread (the only writer), or under the read lock. */
    QueuedEntry get(long id) {
        return byId.get(id);
    }

    /** How many entries have this value of an indexed or counted field. */
    long count(FilterField field, Object value) {
        if (field.indexed()) {
            Matches matches = indexes[field.ordinal()].get(value);
            return matches == null ? 0 : matches.size();
        }
        if (field.counted()) {
            return counts.count(field, value);
        }
        throw new IllegalArgumentException(field + " is neither indexed nor counted");
    }

    /**
     * How many entries have both a value of an indexed field and a value of a counted one (a cluster and an
     * output_type, say); empty when the index value has too few entries to keep such counts: walking them is as
     * cheap.
     */
    OptionalLong count(FilterField indexed, Object value, FilterField counted, Object countedValue) {
        if (!indexed.indexed() || !counted.counted()) {
            throw new IllegalArgumentException(indexed + " is not indexed or " + counted + " is not counted");
        }
        Matches matches = indexes[indexed.ordinal()].get(value);
        return matches == null ? OptionalLong.of(0) : matches.count(counted, countedValue);
    }

    /** The entries with this value of an indexed field, in queue order. */
    Iterator<Entry> matching(FilterField field, Object value) {
        if (!field.indexed()) {
            throw new IllegalArgumentException(field + " is not indexed");
        }
        Matches matches = indexes[field.ordinal()].get(value);
        return matches == null ? Collections.emptyIterator() : matches.iterator();
    }

    /** The entries in queue order from a 0-based offset: whole priorities and blocks are skipped by their counts. */
    Iterator<Entry> from(long offset) {
        if (offset <= 0) {
            return order.iterator();
        }
        long remaining = offset;
        for (int slot = 0; slot < PRIORITIES; slot++) {
            if (remaining >= byPriority[slot]) {
                remaining -= byPriority[slot];
                continue;
            }
            Blocks at = blocks[slot];
            for (int i = 0; i < at.size; i++) {
                if (remaining < at.counts[i]) {
                    Iterator<Entry> walk = order.tailSet(probe(priorityOf(slot), at.starts[i] << BLOCK_BITS), true)
                            .iterator();
                    for (long skipped = 0; skipped < remaining; skipped++) {
                        walk.next();
                    }
                    return walk;
                }
                remaining -= at.counts[i];
            }
            throw new IllegalStateException("block counts do not add up to the priority's count");
        }
        return Collections.emptyIterator();
    }

    /** The entries in queue order strictly after a place, queued there or not. */
    Iterator<Entry> walkAfter(OrderKey place) {
        return order.tailSet(probe(place), false).iterator();
    }

    /** The entries with this value of an indexed field strictly after a place, in queue order. */
    Iterator<Entry> matchingAfter(FilterField field, Object value, OrderKey place) {
        if (!field.indexed()) {
            throw new IllegalArgumentException(field + " is not indexed");
        }
        Matches matches = indexes[field.ordinal()].get(value);
        return matches == null ? Collections.emptyIterator() : matches.after(probe(place));
    }

    /** How many entries come before this queued one. */
    long ahead(Entry entry) {
        int slot = slot(entry.priority());
        long ahead = 0;
        for (int higher = 0; higher < slot; higher++) {
            ahead += byPriority[higher];
        }
        Blocks at = blocks[slot];
        long block = entry.rankStamp() >> BLOCK_BITS;
        for (int i = 0; i < at.size && at.starts[i] < block; i++) {
            ahead += at.counts[i];
        }
        return ahead + order.subSet(probe(entry.priority(), block << BLOCK_BITS), true, entry, false).size();
    }

    // ---- neighbours, for moves (the stream thread) ----

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

    /** A key that sorts before every entry of this priority whose rank_stamp is at least the given one. */
    private Entry probe(int priority, long rankStamp) {
        return probe(new OrderKey(priority, rankStamp, Long.MIN_VALUE));
    }

    /** A key that sorts where an entry at this place would. */
    private Entry probe(OrderKey place) {
        return new Entry(queue, place.id(), 0, place.priority(), place.rankStamp(), null, null, null, null, null, null,
                null, null, null, null);
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

    /**
     * The entries of one value of an indexed field, in queue order: a sorted array while few (most values of
     * job_id and data_id have one or two entries), a tree beyond. A tree node costs about 40 bytes, an array slot 4.
     * A tree also counts its entries per value of each counted field, so that a total such as "this cluster and this
     * output_type" is read rather than counted over thousands of entries.
     */
    private static final class Matches {
        private static final int MOST_IN_ARRAY = 32;
        private Entry[] few = new Entry[1];
        private int size;
        private NavigableSet<Entry> many;
        /** Kept with the tree. */
        private TypeCounts counts;

        void add(Entry entry) {
            if (many != null) {
                many.add(entry);
                counts.add(entry, 1);
                return;
            }
            if (size == MOST_IN_ARRAY) {
                many = new TreeSet<>(Entry.QUEUE_ORDER);
                counts = new TypeCounts();
                for (Entry earlier : Arrays.asList(few).subList(0, size)) {
                    many.add(earlier);
                    counts.add(earlier, 1);
                }
                many.add(entry);
                counts.add(entry, 1);
                few = null;
                return;
            }
            int at = -Arrays.binarySearch(few, 0, size, entry, Entry.QUEUE_ORDER) - 1;
            if (size == few.length) {
                few = Arrays.copyOf(few, Math.min(size * 2, MOST_IN_ARRAY));
            }
            System.arraycopy(few, at, few, at + 1, size - at);
            few[at] = entry;
            size++;
        }

        void remove(Entry entry) {
            if (many != null) {
                many.remove(entry);
                counts.add(entry, -1);
                return;
            }
            int at = Arrays.binarySearch(few, 0, size, entry, Entry.QUEUE_ORDER);
            if (at >= 0) {
                System.arraycopy(few, at + 1, few, at, size - at - 1);
                few[--size] = null;
            }
        }

        int size() {
            return many != null ? many.size() : size;
        }

        /** The entries with this value of a counted field; empty while they are few (no counts kept). */
        OptionalLong count(FilterField field, Object value) {
            return counts == null ? OptionalLong.empty() : OptionalLong.of(counts.count(field, value));
        }

        Iterator<Entry> iterator() {
            return many != null ? many.iterator() : Arrays.asList(few).subList(0, size).iterator();
        }

        /** The entries strictly after the probe's place. */
        Iterator<Entry> after(Entry probe) {
            if (many != null) {
                return many.tailSet(probe, false).iterator();
            }
            int at = Arrays.binarySearch(few, 0, size, probe, Entry.QUEUE_ORDER);
            int from = at >= 0 ? at + 1 : -at - 1;
            return Arrays.asList(few).subList(from, size).iterator();
        }
    }

    /** Counts per value of each counted field (the types); a count that reaches 0 is dropped. */
    private static final class TypeCounts {
        @SuppressWarnings("unchecked")
        private final Map<Object, long[]>[] perField = new Map[FIELDS.length];

        TypeCounts() {
            for (FilterField field : FIELDS) {
                if (field.counted()) {
                    perField[field.ordinal()] = new HashMap<>(8);
                }
            }
        }

        void add(Entry entry, long delta) {
            for (FilterField field : FIELDS) {
                Object value = field.counted() ? field.of(entry) : null;
                if (value != null) {
                    Map<Object, long[]> perValue = perField[field.ordinal()];
                    if ((perValue.computeIfAbsent(value, v -> new long[1])[0] += delta) == 0) {
                        perValue.remove(value);
                    }
                }
            }
        }

        long count(FilterField field, Object value) {
            long[] count = perField[field.ordinal()].get(value);
            return count == null ? 0 : count[0];
        }
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
