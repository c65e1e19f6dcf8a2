package io.queueview.store;

import java.util.Arrays;

/**
 * Counts per value (a text code) of each counted field — output_type, job_type, cluster_type — of a queue or of an
 * index value's entries: a few sorted codes per field, so a count that reaches 0 is dropped.
 */
final class TypeCounts {

    /** The counted fields' columns of the {@link EntryTable}. */
    static final int[] COLUMNS = {EntryTable.OUTPUT_TYPE, EntryTable.JOB_TYPE, EntryTable.CLUSTER_TYPE};

    private final int[][] codes = new int[COLUMNS.length][];
    private final long[][] counts = new long[COLUMNS.length][];
    private final int[] sizes = new int[COLUMNS.length];

    TypeCounts() {
        for (int i = 0; i < COLUMNS.length; i++) {
            codes[i] = new int[2];
            counts[i] = new long[2];
        }
    }

    void add(EntryTable table, int slot, long delta) {
        for (int i = 0; i < COLUMNS.length; i++) {
            int code = table.code(COLUMNS[i], slot);
            if (code != TextCodes.NONE) {
                add(i, code, delta);
            }
        }
    }

    /** How many entries have this code in a counted column. */
    long count(int column, int code) {
        int i = field(column);
        int at = Arrays.binarySearch(codes[i], 0, sizes[i], code);
        return at >= 0 ? counts[i][at] : 0;
    }

    private void add(int i, int code, long delta) {
        int at = Arrays.binarySearch(codes[i], 0, sizes[i], code);
        if (at >= 0) {
            if ((counts[i][at] += delta) == 0) {
                System.arraycopy(codes[i], at + 1, codes[i], at, sizes[i] - at - 1);
                System.arraycopy(counts[i], at + 1, counts[i], at, sizes[i] - at - 1);
                sizes[i]--;
            }
            return;
        }
        int insert = -at - 1;
        if (sizes[i] == codes[i].length) {
            codes[i] = Arrays.copyOf(codes[i], sizes[i] * 2);
            counts[i] = Arrays.copyOf(counts[i], sizes[i] * 2);
        }
        System.arraycopy(codes[i], insert, codes[i], insert + 1, sizes[i] - insert);
        System.arraycopy(counts[i], insert, counts[i], insert + 1, sizes[i] - insert);
        codes[i][insert] = code;
        counts[i][insert] = delta;
        sizes[i]++;
    }

    private static int field(int column) {
        for (int i = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i] == column) {
                return i;
            }
        }
        throw new IllegalArgumentException("column " + column + " is not counted");
    }
}
