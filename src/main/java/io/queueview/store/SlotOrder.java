package io.queueview.store;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Slots of an {@link EntryTable} in queue order (priority descending, rank_stamp, id): sorted chunks of at most
 * {@link #MOST} ints, 4 bytes and some room per entry where a tree costs a node of about 40. A place is found by a
 * binary search over the chunks' last entries, then within one chunk; an offset or a position adds up chunk sizes
 * (10,000 of them at 10 million entries: microseconds). The whole queue's order and each many-valued index use it.
 */
final class SlotOrder {

    static final int MOST = 1024;
    private static final int FIRST = 2;

    private final EntryTable table;
    private int[][] chunks = {new int[FIRST]};
    private int[] sizes = new int[1];
    /** Chunks in use; there is always one, perhaps empty. */
    private int count = 1;
    private long size;

    SlotOrder(EntryTable table) {
        this.table = table;
    }

    long size() {
        return size;
    }

    void add(int slot) {
        int priority = table.priority(slot);
        long rankStamp = table.rankStamp(slot);
        long id = table.id(slot);
        int tail = count - 1;
        if (sizes[tail] > 0 && compare(chunks[tail][sizes[tail] - 1], priority, rankStamp, id) < 0) {
            insert(tail, sizes[tail], slot); // past the last: no search (a rebuild in order, a run of enqueues)
            return;
        }
        int chunk = chunkOf(priority, rankStamp, id);
        insert(chunk, lowerBound(chunk, priority, rankStamp, id), slot);
    }

    /** Takes a slot out that is in this order. */
    void remove(int slot) {
        int priority = table.priority(slot);
        long rankStamp = table.rankStamp(slot);
        long id = table.id(slot);
        int chunk = chunkOf(priority, rankStamp, id);
        int at = lowerBound(chunk, priority, rankStamp, id);
        if (at >= sizes[chunk] || chunks[chunk][at] != slot) {
            throw new IllegalStateException("slot " + slot + " (id " + id + ") is not in the order");
        }
        removeAt(chunk, at);
    }

    /** A walk from the first slot at or after a place in queue order. */
    Walk from(int priority, long rankStamp, long id) {
        int chunk = chunkOf(priority, rankStamp, id);
        return new Walk(chunk, lowerBound(chunk, priority, rankStamp, id));
    }

    /** A walk from a 0-based offset. */
    Walk from(long offset) {
        long remaining = offset;
        for (int chunk = 0; chunk < count; chunk++) {
            if (remaining < sizes[chunk]) {
                return new Walk(chunk, (int) remaining);
            }
            remaining -= sizes[chunk];
        }
        return new Walk(count - 1, sizes[count - 1]);
    }

    /** How many slots come before a place in queue order. */
    long before(int priority, long rankStamp, long id) {
        int chunk = chunkOf(priority, rankStamp, id);
        long ahead = lowerBound(chunk, priority, rankStamp, id);
        for (int c = 0; c < chunk; c++) {
            ahead += sizes[c];
        }
        return ahead;
    }

    /** The first slot, or -1 when empty. */
    int first() {
        return size == 0 ? -1 : new Walk(0, 0).next();
    }

    /** The last slot, or -1 when empty. */
    int last() {
        for (int c = count - 1; c >= 0; c--) {
            if (sizes[c] > 0) {
                return chunks[c][sizes[c] - 1];
            }
        }
        return -1;
    }

    /** The slot just before a place, or -1. */
    int lower(int priority, long rankStamp, long id) {
        int chunk = chunkOf(priority, rankStamp, id);
        int at = lowerBound(chunk, priority, rankStamp, id) - 1;
        while (at < 0 && chunk > 0) {
            chunk--;
            at = sizes[chunk] - 1;
        }
        return at < 0 ? -1 : chunks[chunk][at];
    }

    /** The first chunk whose last slot is at or after the place; the last chunk when none is. */
    private int chunkOf(int priority, long rankStamp, long id) {
        int low = 0;
        int high = count - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sizes[mid] == 0 || compare(chunks[mid][sizes[mid] - 1], priority, rankStamp, id) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The first position in the chunk whose slot is at or after the place. */
    private int lowerBound(int chunk, int priority, long rankStamp, long id) {
        int[] slots = chunks[chunk];
        int low = 0;
        int high = sizes[chunk];
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (compare(slots[mid], priority, rankStamp, id) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int compare(int slot, int priority, long rankStamp, long id) {
        return table.compare(slot, priority, rankStamp, id);
    }

    private void insert(int chunk, int at, int slot) {
        int length = sizes[chunk];
        if (length == chunks[chunk].length) {
            if (length < MOST) {
                chunks[chunk] = Arrays.copyOf(chunks[chunk], Math.min(MOST, length * 2));
            } else if (at == length && chunk == count - 1) { // appended at the tail: a new chunk, none split
                addChunk(chunk + 1, new int[MOST], 0);
                chunk++;
                at = 0;
            } else { // full: split it in halves
                int half = length / 2;
                int[] right = new int[MOST];
                System.arraycopy(chunks[chunk], half, right, 0, length - half);
                addChunk(chunk + 1, right, length - half);
                Arrays.fill(chunks[chunk], half, length, 0);
                sizes[chunk] = half;
                if (at > half) {
                    chunk++;
                    at -= half;
                }
            }
        }
        int[] slots = chunks[chunk];
        System.arraycopy(slots, at, slots, at + 1, sizes[chunk] - at);
        slots[at] = slot;
        sizes[chunk]++;
        size++;
    }

    private void removeAt(int chunk, int at) {
        int[] slots = chunks[chunk];
        System.arraycopy(slots, at + 1, slots, at, sizes[chunk] - at - 1);
        sizes[chunk]--;
        size--;
        if (sizes[chunk] == 0 && count > 1) {
            dropChunk(chunk);
            return;
        }
        if (chunk + 1 < count && sizes[chunk] + sizes[chunk + 1] <= MOST / 2) {
            merge(chunk);
        } else if (chunk > 0 && sizes[chunk - 1] + sizes[chunk] <= MOST / 2) {
            merge(chunk - 1);
        } else if (slots.length > FIRST * 2 && sizes[chunk] < slots.length / 4) {
            chunks[chunk] = Arrays.copyOf(slots, slots.length / 2); // an index value that emptied gives room back
        }
    }

    /** Moves the next chunk's slots to the end of this one. */
    private void merge(int chunk) {
        int total = sizes[chunk] + sizes[chunk + 1];
        if (chunks[chunk].length < total) {
            chunks[chunk] = Arrays.copyOf(chunks[chunk], Math.min(MOST, Integer.highestOneBit(total - 1) << 1));
        }
        System.arraycopy(chunks[chunk + 1], 0, chunks[chunk], sizes[chunk], sizes[chunk + 1]);
        sizes[chunk] = total;
        dropChunk(chunk + 1);
    }

    private void addChunk(int chunk, int[] slots, int length) {
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        System.arraycopy(chunks, chunk, chunks, chunk + 1, count - chunk);
        System.arraycopy(sizes, chunk, sizes, chunk + 1, count - chunk);
        chunks[chunk] = slots;
        sizes[chunk] = length;
        count++;
    }

    private void dropChunk(int chunk) {
        System.arraycopy(chunks, chunk + 1, chunks, chunk, count - chunk - 1);
        System.arraycopy(sizes, chunk + 1, sizes, chunk, count - chunk - 1);
        count--;
        chunks[count] = null;
        sizes[count] = 0;
    }

    /** A walk over the slots in queue order from a position; valid until the order changes. */
    final class Walk implements SlotWalk {
        private int chunk;
        private int at;

        private Walk(int chunk, int at) {
            this.chunk = chunk;
            this.at = at;
            settle();
        }

        public boolean hasNext() {
            return chunk < count && at < sizes[chunk];
        }

        public int next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int slot = chunks[chunk][at++];
            settle();
            return slot;
        }

        /** Past a chunk's end: to the next chunk's start. */
        private void settle() {
            while (at >= sizes[chunk] && chunk < count - 1) {
                chunk++;
                at = 0;
            }
        }
    }
}
