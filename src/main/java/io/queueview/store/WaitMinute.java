package io.queueview.store;

import java.util.Arrays;

/**
 * One minute of a queue's history, by record time: the removals with reason DISPATCHED in it, their times in the
 * queue (first enqueue to dispatch) as counts per {@link WaitBuckets} bucket — only those whose enqueue this version
 * saw — and the queue's depth after the minute's last change.
 * <p>
 * Stored compact: a format byte, the depth, the dispatches, then the non-empty buckets as (index, count) pairs, all
 * variable-length — a quiet minute takes 3-4 bytes, a busy one a few dozen.
 */
public final class WaitMinute {

    public static final WaitMinute EMPTY = new WaitMinute(0, 0, new int[WaitBuckets.COUNT]);
    private static final int FORMAT = 1;

    private final long depth;
    private final int dispatched;
    private final int[] waits;

    private WaitMinute(long depth, int dispatched, int[] waits) {
        this.depth = depth;
        this.dispatched = dispatched;
        this.waits = waits;
    }

    /** The queue's depth after the minute's last change. */
    public long depth() {
        return depth;
    }

    /** Removals with reason DISPATCHED in the minute. */
    public int dispatched() {
        return dispatched;
    }

    /** The dispatches of the minute whose time in queue is known, in one bucket. */
    public int waitsIn(int bucket) {
        return waits[bucket];
    }

    public WaitMinute withDepth(long depth) {
        return new WaitMinute(depth, dispatched, waits);
    }

    /** One more dispatch; its time in queue in milliseconds, or -1 when its enqueue was not seen. */
    public WaitMinute plusDispatch(long waitMillis) {
        int[] more = waits;
        if (waitMillis >= 0) {
            more = waits.clone();
            more[WaitBuckets.of(waitMillis)]++;
        }
        return new WaitMinute(depth, dispatched + 1, more);
    }

    public byte[] toBytes() {
        ByteWriter out = new ByteWriter(16).putByte(FORMAT).putVarInt((int) Math.min(depth, Integer.MAX_VALUE))
                .putVarInt(dispatched);
        int buckets = 0;
        for (int count : waits) {
            buckets += count > 0 ? 1 : 0;
        }
        out.putVarInt(buckets);
        for (int bucket = 0; bucket < waits.length; bucket++) {
            if (waits[bucket] > 0) {
                out.putByte(bucket).putVarInt(waits[bucket]);
            }
        }
        return out.toBytes();
    }

    /** What {@link #toBytes} wrote; {@link #EMPTY} for null. */
    public static WaitMinute fromBytes(byte[] bytes) {
        if (bytes == null) {
            return EMPTY;
        }
        ByteReader in = new ByteReader(bytes, 0);
        int format = in.getByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown wait-statistics format " + format);
        }
        long depth = in.getVarInt();
        int dispatched = in.getVarInt();
        int[] waits = new int[WaitBuckets.COUNT];
        for (int buckets = in.getVarInt(); buckets > 0; buckets--) {
            int bucket = in.getByte();
            waits[bucket] = in.getVarInt();
        }
        return new WaitMinute(depth, dispatched, waits);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WaitMinute minute && minute.depth == depth && minute.dispatched == dispatched
                && Arrays.equals(minute.waits, waits);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(depth) * 31 + dispatched;
    }
}
