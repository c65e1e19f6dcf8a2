package io.queueview.store;

import java.util.Arrays;
import java.util.function.IntToLongFunction;

/**
 * Slots by a key read from their entry (an id, a job_id, a code): open addressing with linear probing over an int
 * array that holds only slots (4 bytes at a load of at most 0.75, where a {@code HashMap<Long, ...>} entry costs about
 * 50). Keys may repeat: the slots of one key lie in its probe run. A removal shifts the run back, so no tombstones.
 */
final class SlotHash {

    private static final int EMPTY = -1;
    private static final int SMALLEST = 8;

    private final IntToLongFunction keyOf;
    private int[] table = empty(SMALLEST);
    private int size;

    SlotHash(IntToLongFunction keyOf) {
        this.keyOf = keyOf;
    }

    int size() {
        return size;
    }

    /** Adds a slot; returns how many slots with its key were there already (one pass over its run counts them). */
    int add(int slot) {
        if ((size + 1) * 4L > table.length * 3L) {
            resize(table.length * 2);
        }
        long key = keyOf.applyAsLong(slot);
        int mask = table.length - 1;
        int same = 0;
        int at = home(key, mask);
        for (; table[at] != EMPTY; at = (at + 1) & mask) {
            if (keyOf.applyAsLong(table[at]) == key) {
                same++;
            }
        }
        table[at] = slot;
        size++;
        return same;
    }

    /** Takes a slot out that is in the hash. */
    void remove(int slot) {
        int mask = table.length - 1;
        int at = home(keyOf.applyAsLong(slot), mask);
        while (table[at] != slot) {
            if (table[at] == EMPTY) {
                throw new IllegalStateException("slot " + slot + " is not in the hash");
            }
            at = (at + 1) & mask;
        }
        // shift back the slots after it in the run that may not lie beyond their home
        int gap = at;
        int next = (at + 1) & mask;
        while (table[next] != EMPTY) {
            int home = home(keyOf.applyAsLong(table[next]), mask);
            if (((next - home) & mask) >= ((next - gap) & mask)) {
                table[gap] = table[next];
                gap = next;
            }
            next = (next + 1) & mask;
        }
        table[gap] = EMPTY;
        size--;
        if (table.length > SMALLEST && size * 8L < table.length) {
            resize(table.length / 2);
        }
    }

    /** The first slot found with this key, or -1. */
    int find(long key) {
        int mask = table.length - 1;
        for (int at = home(key, mask); table[at] != EMPTY; at = (at + 1) & mask) {
            if (keyOf.applyAsLong(table[at]) == key) {
                return table[at];
            }
        }
        return -1;
    }

    /** How many slots have this key. */
    int count(long key) {
        int mask = table.length - 1;
        int found = 0;
        for (int at = home(key, mask); table[at] != EMPTY; at = (at + 1) & mask) {
            if (keyOf.applyAsLong(table[at]) == key) {
                found++;
            }
        }
        return found;
    }

    /** The slots with this key, in no order. */
    int[] all(long key) {
        int[] found = new int[count(key)];
        int mask = table.length - 1;
        int n = 0;
        for (int at = home(key, mask); table[at] != EMPTY && n < found.length; at = (at + 1) & mask) {
            if (keyOf.applyAsLong(table[at]) == key) {
                found[n++] = table[at];
            }
        }
        return found;
    }

    private void resize(int length) {
        int[] resized = empty(length);
        for (int slot : table) {
            if (slot != EMPTY) {
                place(resized, slot, keyOf.applyAsLong(slot));
            }
        }
        table = resized;
    }

    private static void place(int[] table, int slot, long key) {
        int mask = table.length - 1;
        int at = home(key, mask);
        while (table[at] != EMPTY) {
            at = (at + 1) & mask;
        }
        table[at] = slot;
    }

    private static int home(long key, int mask) {
        long h = key * 0xFF51AFD7ED558CCDL; // MurmurHash3's finalizer: spreads ids that count up
        h ^= h >>> 33;
        return (int) h & mask;
    }

    private static int[] empty(int length) {
        int[] table = new int[length];
        Arrays.fill(table, EMPTY);
        return table;
    }
}
