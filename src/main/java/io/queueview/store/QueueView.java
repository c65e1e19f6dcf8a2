package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * One queue in memory, as the API reads it: its entries in queue order, by id, per value of each indexed filter
 * field (in queue order too), and counts per value of each counted field. Entries are held as slots of an
 * {@link EntryTable} (columns of numbers and text codes), and the orders and indexes hold slots, not objects:
 * 110-120 bytes an entry where entry objects in trees and hash maps took 600. An {@link Entry} is made as a read
 * hands it out.
 * <p>
 * Written by the stream thread that owns the queue's partition, read by HTTP threads: writes take the write lock;
 * other threads reach the reads only through a {@link LockedQueue}, which exists only while {@link #read} holds the
 * read lock, so a page and its total come from one state. The stream thread reads neighbours for moves
 * ({@link QueueOrder}) without the lock: nobody else writes.
 */
final class QueueView implements QueueOrder {

    /**
     * Width of a rank_stamp block, 2^16 ms: offsets and positions once skipped whole blocks by their counts; they
     * now add up chunk sizes of the order, and the model test still spreads its rank_stamps over blocks of this width.
     */
    static final int BLOCK_BITS = 16;
    private static final int PRIORITIES = Entry.MAX_PRIORITY - Entry.MIN_PRIORITY + 1;
    private static final char CLUSTER_SEPARATOR = '\u0000';

    private final QueueId queue;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final EntryTable table;
    private final SlotOrder order;
    private final SlotHash byId;
    /** Per field (by ordinal): the index of an indexed field, else null. */
    private final SlotIndex[] indexes = new SlotIndex[FilterField.values().length];
    private final TypeCounts counts = new TypeCounts();
    private final long[] byPriority = new long[PRIORITIES];
    /** A rebuild's slots in the table and the id map, not yet in the order, indexes and counts ({@link #stage}). */
    private int[] staged = new int[0];
    private int stagedCount;

    /** A queue with texts coded on its own (a view alone, in tests). */
    QueueView(QueueId queue) {
        this(queue, new TextCodes());
    }

    /** A queue whose texts are coded with those of the other queues of its partition. */
    QueueView(QueueId queue, TextCodes codes) {
        this.queue = queue;
        table = new EntryTable(codes);
        order = new SlotOrder(table);
        byId = new SlotHash(table::id);
        indexes[FilterField.JOB_ID.ordinal()] = new SlotIndex(table, table::jobId);
        indexes[FilterField.DATA_ID.ordinal()] = new SlotIndex(table, slot -> table.code(EntryTable.DATA_ID, slot));
        indexes[FilterField.PROCESSOR_NAME.ordinal()] =
                new SlotIndex(table, slot -> table.code(EntryTable.PROCESSOR_NAME, slot));
        indexes[FilterField.CLUSTER.ordinal()] = new SlotIndex(table, this::clusterKey);
        for (FilterField field : FilterField.values()) {
            if (field.indexed() && indexes[field.ordinal()] == null) {
                throw new IllegalStateException("no index for " + field);
            }
        }
    }

    // ---- writes: the stream thread ----

    /** Queues the entry in place of the one with its id, if any; returns the one replaced, or null. */
    QueuedEntry put(QueuedEntry queued) {
        priorityIndex(queued.entry().priority()); // refuses one out of range before anything changes
        lock.writeLock().lock();
        try {
            int old = byId.find(queued.entry().id());
            QueuedEntry replaced = null;
            if (old >= 0) {
                replaced = table.queued(queue, old);
                unlink(old);
            }
            link(table.add(queued));
            return replaced;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * A rebuild's put: the entry goes into the table and the id map now, and into the order, indexes and counts at
     * {@link #linkStaged}, in queue order, so that each of those inserts is an append (no search, no copy). Staged
     * entries are not in the queue for reads until then; an id already held is put as {@link #put} does.
     */
    void stage(QueuedEntry queued) {
        if (byId.find(queued.entry().id()) >= 0) {
            linkStaged();
            put(queued);
            return;
        }
        priorityIndex(queued.entry().priority());
        lock.writeLock().lock();
        try {
            int slot = table.add(queued);
            byId.add(slot);
            if (stagedCount == staged.length) {
                staged = Arrays.copyOf(staged, Math.max(16, stagedCount * 2));
            }
            staged[stagedCount++] = slot;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Puts the staged entries into the order, indexes and counts, sorted in queue order first. */
    void linkStaged() {
        if (stagedCount == 0) {
            return;
        }
        lock.writeLock().lock();
        try {
            int[] slots = Arrays.copyOf(staged, stagedCount);
            staged = new int[0];
            stagedCount = 0;
            sortInQueueOrder(slots);
            for (int slot : slots) {
                linkButId(slot);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A merge sort of slots by the table's queue order (the JDK sorts ints only by their value). */
    private void sortInQueueOrder(int[] slots) {
        int[] from = slots;
        int[] to = new int[slots.length];
        for (int width = 1; width < slots.length; width *= 2) {
            for (int low = 0; low < slots.length; low += 2 * width) {
                int middle = Math.min(low + width, slots.length);
                int high = Math.min(low + 2 * width, slots.length);
                int left = low;
                int right = middle;
                for (int at = low; at < high; at++) {
                    to[at] = left < middle && (right >= high || table.compare(from[left], from[right]) <= 0)
                            ? from[left++] : from[right++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != slots) {
            System.arraycopy(from, 0, slots, 0, slots.length);
        }
    }

    /** Takes the entry with this id out; returns it, or null when it is not queued. */
    QueuedEntry remove(long id) {
        lock.writeLock().lock();
        try {
            int slot = byId.find(id);
            if (slot < 0) {
                return null;
            }
            QueuedEntry removed = table.queued(queue, slot);
            unlink(slot);
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void link(int slot) {
        byId.add(slot);
        linkButId(slot);
    }

    private void linkButId(int slot) {
        order.add(slot);
        indexes[FilterField.JOB_ID.ordinal()].add(slot);
        if (table.code(EntryTable.DATA_ID, slot) != TextCodes.NONE) {
            indexes[FilterField.DATA_ID.ordinal()].add(slot);
        }
        if (table.code(EntryTable.PROCESSOR_NAME, slot) != TextCodes.NONE) {
            indexes[FilterField.PROCESSOR_NAME.ordinal()].add(slot);
        }
        if (inCluster(slot)) {
            indexes[FilterField.CLUSTER.ordinal()].add(slot);
        }
        counts.add(table, slot, 1);
        byPriority[priorityIndex(table.priority(slot))]++;
    }

    /** Takes the slot out of every order, index and count, and gives it back to the table. */
    private void unlink(int slot) {
        order.remove(slot);
        byId.remove(slot);
        indexes[FilterField.JOB_ID.ordinal()].remove(slot);
        if (table.code(EntryTable.DATA_ID, slot) != TextCodes.NONE) {
            indexes[FilterField.DATA_ID.ordinal()].remove(slot);
        }
        if (table.code(EntryTable.PROCESSOR_NAME, slot) != TextCodes.NONE) {
            indexes[FilterField.PROCESSOR_NAME.ordinal()].remove(slot);
        }
        if (inCluster(slot)) {
            indexes[FilterField.CLUSTER.ordinal()].remove(slot);
        }
        counts.add(table, slot, -1);
        byPriority[priorityIndex(table.priority(slot))]--;
        table.free(slot);
    }

    private boolean inCluster(int slot) {
        return table.code(EntryTable.CLUSTER_TYPE, slot) != TextCodes.NONE
                && table.code(EntryTable.CLUSTER_ID, slot) != TextCodes.NONE;
    }

    /** The CLUSTER key of a slot: its cluster_type's and cluster_id's codes. */
    private long clusterKey(int slot) {
        return clusterKey(table.code(EntryTable.CLUSTER_TYPE, slot), table.code(EntryTable.CLUSTER_ID, slot));
    }

    private static long clusterKey(int typeCode, int idCode) {
        return ((long) typeCode << 32) | (idCode & 0xFFFFFFFFL);
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
        for (int index = 0; index < PRIORITIES; index++) {
            if (byPriority[index] > 0) {
                SlotWalk first = order.from(priorityOf(index), Long.MIN_VALUE, Long.MIN_VALUE);
                oldest = Math.min(oldest, table.rankStamp(first.next()));
                any = true;
            }
        }
        return any ? OptionalLong.of(oldest) : OptionalLong.empty();
    }

    boolean isEmpty() {
        return order.size() == 0;
    }

    /** The queued entry with this id, or null; for the stream thread (the only writer), or under the read lock. */
    QueuedEntry get(long id) {
        int slot = byId.find(id);
        return slot < 0 ? null : table.queued(queue, slot);
    }

    /** The queued entry with this id, without its version, or null. */
    Entry entry(long id) {
        int slot = byId.find(id);
        return slot < 0 ? null : table.entry(queue, slot);
    }

    /** How many entries have this value of an indexed or counted field. */
    long count(FilterField field, Object value) {
        if (field.indexed()) {
            long key = key(field, value);
            return key == NO_KEY ? 0 : indexes[field.ordinal()].count(key);
        }
        if (field.counted()) {
            int code = table.codes().code((String) value);
            return code == TextCodes.UNKNOWN ? 0 : counts.count(column(field), code);
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
        long key = key(indexed, value);
        if (key == NO_KEY) {
            return OptionalLong.of(0);
        }
        return indexes[indexed.ordinal()].count(key, column(counted), table.codes().code((String) countedValue));
    }

    /** The entries with this value of an indexed field, in queue order. */
    Iterator<Entry> matching(FilterField field, Object value) {
        return matchingFrom(field, value, Entry.MAX_PRIORITY + 1, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    /** The entries in queue order from a 0-based offset: chunks of the order are skipped by their sizes. */
    Iterator<Entry> from(long offset) {
        return entries(order.from(Math.max(0, offset)));
    }

    /** The entries in queue order strictly after a place, queued there or not. */
    Iterator<Entry> walkAfter(OrderKey place) {
        return entries(after(order.from(place.priority(), place.rankStamp(), place.id()), place));
    }

    /** The entries with this value of an indexed field strictly after a place, in queue order. */
    Iterator<Entry> matchingAfter(FilterField field, Object value, OrderKey place) {
        if (!field.indexed()) {
            throw new IllegalArgumentException(field + " is not indexed");
        }
        long key = key(field, value);
        if (key == NO_KEY) {
            return Collections.emptyIterator();
        }
        SlotWalk walk = indexes[field.ordinal()].from(key, place.priority(), place.rankStamp(), place.id());
        return entries(after(walk, place));
    }

    /**
     * The entries with every value of a set of filters, in queue order: a walk of the index of one of them (driving;
     * null: the whole queue), from the head or strictly after a place. The filters are checked on the entry's columns
     * before an {@link Entry} is made, so the entries passed over cost no object.
     */
    Iterator<Entry> walk(FilterField driving, Object value, OrderKey after, Map<FilterField, Object> where) {
        int[] columns = new int[where.size() + 1];
        int[] wanted = new int[where.size() + 1];
        int texts = 0;
        Long jobId = null;
        for (Map.Entry<FilterField, Object> filter : where.entrySet()) {
            if (filter.getKey() == FilterField.JOB_ID) {
                jobId = (Long) filter.getValue();
                continue;
            }
            String text = (String) filter.getValue();
            if (filter.getKey() == FilterField.CLUSTER) {
                int separator = text.indexOf(CLUSTER_SEPARATOR);
                if (separator < 0) {
                    return Collections.emptyIterator();
                }
                columns[texts] = EntryTable.CLUSTER_TYPE;
                wanted[texts++] = table.codes().code(text.substring(0, separator));
                columns[texts] = EntryTable.CLUSTER_ID;
                wanted[texts++] = table.codes().code(text.substring(separator + 1));
            } else {
                columns[texts] = textColumn(filter.getKey());
                wanted[texts++] = table.codes().code(text);
            }
        }
        for (int i = 0; i < texts; i++) {
            if (wanted[i] == TextCodes.UNKNOWN) { // no entry holds the text
                return Collections.emptyIterator();
            }
        }
        SlotWalk walk;
        if (driving == null) {
            walk = after == null ? order.from(0L)
                    : after(order.from(after.priority(), after.rankStamp(), after.id()), after);
        } else {
            if (!driving.indexed()) {
                throw new IllegalArgumentException(driving + " is not indexed");
            }
            long key = key(driving, value);
            if (key == NO_KEY) {
                return Collections.emptyIterator();
            }
            SlotIndex index = indexes[driving.ordinal()];
            walk = after == null ? index.from(key, Entry.MAX_PRIORITY + 1, Long.MIN_VALUE, Long.MIN_VALUE)
                    : after(index.from(key, after.priority(), after.rankStamp(), after.id()), after);
        }
        int checks = texts;
        Long job = jobId;
        SlotWalk all = walk;
        return entries(new SlotWalk() {
            private int next = advance();

            private int advance() {
                while (all.hasNext()) {
                    int slot = all.next();
                    if (matches(slot)) {
                        return slot;
                    }
                }
                return -1;
            }

            private boolean matches(int slot) {
                if (job != null && table.jobId(slot) != job) {
                    return false;
                }
                for (int i = 0; i < checks; i++) {
                    if (table.code(columns[i], slot) != wanted[i]) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public int next() {
                if (next < 0) {
                    throw new java.util.NoSuchElementException();
                }
                int slot = next;
                next = advance();
                return slot;
            }
        });
    }

    private static int textColumn(FilterField field) {
        return switch (field) {
            case OUTPUT_TYPE -> EntryTable.OUTPUT_TYPE;
            case JOB_TYPE -> EntryTable.JOB_TYPE;
            case DATA_ID -> EntryTable.DATA_ID;
            case PROCESSOR_NAME -> EntryTable.PROCESSOR_NAME;
            case CLUSTER_TYPE -> EntryTable.CLUSTER_TYPE;
            case CLUSTER_ID -> EntryTable.CLUSTER_ID;
            default -> throw new IllegalArgumentException(field + " is not a text");
        };
    }

    /** How many entries come before this queued one. */
    long ahead(Entry entry) {
        return order.before(entry.priority(), entry.rankStamp(), entry.id());
    }

    private Iterator<Entry> matchingFrom(FilterField field, Object value, int priority, long rankStamp, long id) {
        if (!field.indexed()) {
            throw new IllegalArgumentException(field + " is not indexed");
        }
        long key = key(field, value);
        if (key == NO_KEY) {
            return Collections.emptyIterator();
        }
        return entries(indexes[field.ordinal()].from(key, priority, rankStamp, id));
    }

    /** A walk from the first slot at or after a place, past the slot at the place itself, if any. */
    private SlotWalk after(SlotWalk walk, OrderKey place) {
        if (!walk.hasNext()) {
            return walk;
        }
        int first = walk.next();
        if (table.compare(first, place.priority(), place.rankStamp(), place.id()) > 0) {
            return new SlotWalk() { // the first is past the place: give it back first
                private boolean firstGiven;

                @Override
                public boolean hasNext() {
                    return !firstGiven || walk.hasNext();
                }

                @Override
                public int next() {
                    if (!firstGiven) {
                        firstGiven = true;
                        return first;
                    }
                    return walk.next();
                }
            };
        }
        return walk;
    }

    private Iterator<Entry> entries(SlotWalk walk) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return walk.hasNext();
            }

            @Override
            public Entry next() {
                return table.entry(queue, walk.next());
            }
        };
    }

    private static final long NO_KEY = Long.MIN_VALUE;

    /** An indexed field's key for a value; NO_KEY when no entry can have it (a text no entry holds). */
    private long key(FilterField field, Object value) {
        return switch (field) {
            case JOB_ID -> (Long) value;
            case DATA_ID, PROCESSOR_NAME -> {
                int code = table.codes().code((String) value);
                yield code == TextCodes.UNKNOWN ? NO_KEY : code;
            }
            case CLUSTER -> {
                String cluster = (String) value;
                int separator = cluster.indexOf(CLUSTER_SEPARATOR);
                if (separator < 0) {
                    yield NO_KEY;
                }
                int type = table.codes().code(cluster.substring(0, separator));
                int id = table.codes().code(cluster.substring(separator + 1));
                yield type == TextCodes.UNKNOWN || id == TextCodes.UNKNOWN ? NO_KEY : clusterKey(type, id);
            }
            default -> throw new IllegalArgumentException(field + " is not indexed");
        };
    }

    private static int column(FilterField counted) {
        return switch (counted) {
            case OUTPUT_TYPE -> EntryTable.OUTPUT_TYPE;
            case JOB_TYPE -> EntryTable.JOB_TYPE;
            case CLUSTER_TYPE -> EntryTable.CLUSTER_TYPE;
            default -> throw new IllegalArgumentException(counted + " is not counted");
        };
    }

    // ---- neighbours, for moves (the stream thread) ----

    @Override
    public Entry first() {
        int slot = order.first();
        return slot < 0 ? null : table.entry(queue, slot);
    }

    @Override
    public Entry last() {
        int slot = order.last();
        return slot < 0 ? null : table.entry(queue, slot);
    }

    @Override
    public Entry before(Entry entry) {
        int slot = order.lower(entry.priority(), entry.rankStamp(), entry.id());
        return slot < 0 ? null : table.entry(queue, slot);
    }

    @Override
    public Entry after(Entry entry) {
        Iterator<Entry> following = following(entry);
        return following.hasNext() ? following.next() : null;
    }

    @Override
    public Iterator<Entry> following(Entry entry) {
        return walkAfter(OrderKey.of(entry));
    }

    /** The highest priority comes first in queue order. */
    private static int priorityIndex(int priority) {
        if (priority < Entry.MIN_PRIORITY || priority > Entry.MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is out of range");
        }
        return Entry.MAX_PRIORITY - priority;
    }

    private static int priorityOf(int index) {
        return Entry.MAX_PRIORITY - index;
    }
}
