package io.queueview.store;

import java.util.Arrays;

/**
 * One field of a queue's entries, by slot: numbers held as the offset from the first value set, in 2 bytes while
 * every offset fits, then 4, then 8 (ids, rank_stamps, versions and text codes of one queue mostly lie close
 * together, so most columns stay at 2 or 4 bytes an entry). Paged, so a big queue grows without copying all of it
 * and a small one holds a small first page.
 */
final class Column {

    static final int PAGE_BITS = 10;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int MASK = PAGE - 1;
    private static final int FIRST_PAGE = 8;

    private int width = 2;
    private boolean based;
    private long base;
    private short[][] shorts = new short[0][];
    private int[][] ints;
    private long[][] longs;
    /** Slots that fit in the pages held. */
    private int capacity;

    long get(int slot) {
        int page = slot >>> PAGE_BITS;
        int at = slot & MASK;
        return switch (width) {
            case 2 -> base + shorts[page][at];
            case 4 -> base + ints[page][at];
            default -> longs[page][at];
        };
    }

    void set(int slot, long value) {
        if (!based) {
            base = value;
            based = true;
        }
        long offset = value - base;
        boolean overflow = ((value ^ base) & (value ^ offset)) < 0;
        if (width == 2 && (overflow || offset != (short) offset)) {
            widen(overflow || offset != (int) offset ? 8 : 4);
        } else if (width == 4 && (overflow || offset != (int) offset)) {
            widen(8);
        }
        ensure(slot);
        int page = slot >>> PAGE_BITS;
        int at = slot & MASK;
        switch (width) {
            case 2 -> shorts[page][at] = (short) offset;
            case 4 -> ints[page][at] = (int) offset;
            default -> longs[page][at] = value;
        }
    }

    /** Room for slots up to this one. */
    void ensure(int slot) {
        if (slot < capacity) {
            return;
        }
        int pages = (slot >>> PAGE_BITS) + 1;
        int firstLength = pages > 1 ? PAGE : Math.max(FIRST_PAGE, Integer.highestOneBit(slot) << 1);
        switch (width) {
            case 2 -> shorts = grownShorts(shorts, pages, firstLength);
            case 4 -> ints = grownInts(ints, pages, firstLength);
            default -> longs = grownLongs(longs, pages, firstLength);
        }
        capacity = pages > 1 ? pages * PAGE : firstLength;
    }

    private void widen(int to) {
        int pages = capacity == 0 ? 0 : ((capacity - 1) >>> PAGE_BITS) + 1;
        if (to == 4) {
            ints = new int[pages][];
            for (int p = 0; p < pages; p++) {
                ints[p] = new int[shorts[p].length];
                for (int i = 0; i < shorts[p].length; i++) {
                    ints[p][i] = shorts[p][i];
                }
            }
        } else {
            longs = new long[pages][];
            for (int p = 0; p < pages; p++) {
                int length = width == 2 ? shorts[p].length : ints[p].length;
                longs[p] = new long[length];
                for (int i = 0; i < length; i++) {
                    longs[p][i] = base + (width == 2 ? shorts[p][i] : ints[p][i]);
                }
            }
            ints = null;
        }
        shorts = null;
        width = to;
    }

    private static short[][] grownShorts(short[][] pages, int count, int firstLength) {
        short[][] grown = pages.length >= count ? pages : Arrays.copyOf(pages, count);
        for (int p = 0; p < count; p++) {
            int length = p == 0 ? firstLength : PAGE;
            if (grown[p] == null || grown[p].length < length) {
                grown[p] = grown[p] == null ? new short[length] : Arrays.copyOf(grown[p], length);
            }
        }
        return grown;
    }

    private static int[][] grownInts(int[][] pages, int count, int firstLength) {
        int[][] grown = pages.length >= count ? pages : Arrays.copyOf(pages, count);
        for (int p = 0; p < count; p++) {
            int length = p == 0 ? firstLength : PAGE;
            if (grown[p] == null || grown[p].length < length) {
                grown[p] = grown[p] == null ? new int[length] : Arrays.copyOf(grown[p], length);
            }
        }
        return grown;
    }

    private static long[][] grownLongs(long[][] pages, int count, int firstLength) {
        long[][] grown = pages.length >= count ? pages : Arrays.copyOf(pages, count);
        for (int p = 0; p < count; p++) {
            int length = p == 0 ? firstLength : PAGE;
            if (grown[p] == null || grown[p].length < length) {
                grown[p] = grown[p] == null ? new long[length] : Arrays.copyOf(grown[p], length);
            }
        }
        return grown;
    }
}
