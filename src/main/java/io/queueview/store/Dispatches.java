package io.queueview.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A queue's recent dispatches — its removals with reason DISPATCHED — by record time: the basis of the estimated
 * wait. Counted per 10 s, from the newest dispatch back over the {@link #WINDOW} (so at most 91 counts, a few dozen
 * bytes), beside the time the queue has been watched from (the record time of the first of its events seen), so a
 * queue watched for less than the window is not taken for a slow one.
 * <p>
 * Immutable: the stream thread replaces a queue's value on each dispatch, and readers on other threads see the old
 * one or the new one, never half of either.
 */
public final class Dispatches {

    /**
     * The pace is read over the last 15 minutes: long enough to smooth a scheduler that hands out work in batches
     * every minute or so, short enough that a queue whose pace changed (a cluster added, or stopped) shows it within
     * minutes.
     */
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /**
     * Fewer dispatches than this in the window give no pace: one dispatch more or less would move it by over a
     * tenth.
     */
    public static final int MIN_DISPATCHES = 10;
    /** A window is never shorter than a minute: a burst right after watching began is not a pace. */
    static final Duration SHORTEST_WINDOW = Duration.ofMinutes(1);
    /** Each count covers (start, start + 10 s] of record time: the window's start moves in 10 s steps. */
    static final long BUCKET_MS = 10_000;
    private static final long WINDOW_MS = WINDOW.toMillis();
    /** The counts a window can reach back to from its newest dispatch: its length over a count's, and the one it ends in. */
    private static final int BUCKETS = (int) (WINDOW_MS / BUCKET_MS) + 1;
    private static final long NONE = Long.MIN_VALUE;

    private final long watchedSince;
    /** Record time of the newest dispatch, or NONE. */
    private final long latest;
    /** The bucket of counts[0]; counts[i] holds the dispatches of bucket firstBucket + i. */
    private final long firstBucket;
    private final int[] counts;

    private Dispatches(long watchedSince, long latest, long firstBucket, int[] counts) {
        this.watchedSince = watchedSince;
        this.latest = latest;
        this.firstBucket = firstBucket;
        this.counts = counts;
    }

    /** A queue watched from this record time (epoch ms), with no dispatch yet. */
    public static Dispatches watchedFrom(long at) {
        return new Dispatches(at, NONE, 0, new int[0]);
    }

    /** With one more dispatch at this record time; one older than any window that can still be asked for is dropped. */
    public Dispatches plus(long at) {
        long bucket = bucketOf(at);
        if (counts.length == 0) {
            return new Dispatches(watchedSince, at, bucket, new int[] {1});
        }
        long newest = Math.max(firstBucket + counts.length - 1, bucket);
        long oldestKept = newest - (BUCKETS - 1);
        if (bucket < oldestKept) {
            return this;
        }
        long first = Math.max(Math.min(firstBucket, bucket), oldestKept);
        int[] next = new int[(int) (newest - first + 1)];
        for (int i = 0; i < counts.length; i++) {
            long kept = firstBucket + i;
            if (kept >= first) {
                next[(int) (kept - first)] = counts[i];
            }
        }
        next[(int) (bucket - first)]++;
        return new Dispatches(watchedSince, Math.max(latest, at), first, next);
    }

    /**
     * The pace over the window that ends now — or at the newest dispatch, should this clock be behind the records' —
     * and starts a {@link #WINDOW} earlier (at the 10 s step at or before that), or when watching began if that is
     * later, but at least a minute before its end. Null with fewer than {@link #MIN_DISPATCHES} dispatches in it: a
     * queue that stopped dispatching reads slower and slower, then has no pace at all.
     *
     * @param now epoch ms
     */
    public DispatchRate rate(long now) {
        if (counts.length == 0) {
            return null;
        }
        long end = Math.max(now, latest);
        long from = Math.min(Math.max(end - WINDOW_MS, watchedSince), end - SHORTEST_WINDOW.toMillis());
        long firstCounted = Math.floorDiv(from, BUCKET_MS); // the bucket that starts at the window's start
        long dispatches = 0;
        for (int i = 0; i < counts.length; i++) {
            if (firstBucket + i >= firstCounted) {
                dispatches += counts[i];
            }
        }
        return dispatches < MIN_DISPATCHES ? null : new DispatchRate(dispatches, end - firstCounted * BUCKET_MS);
    }

    /** Bucket b holds the dispatches of (b * 10 s, (b + 1) * 10 s]: a window (start, end] is whole buckets. */
    private static long bucketOf(long at) {
        return Math.floorDiv(at - 1, BUCKET_MS);
    }

    public void write(ByteWriter writer) {
        writer.putLong(watchedSince).putLong(latest).putLong(firstBucket).putVarInt(counts.length);
        for (int count : counts) {
            writer.putVarInt(count);
        }
    }

    public static Dispatches read(ByteReader reader) {
        long watchedSince = reader.getLong();
        long latest = reader.getLong();
        long firstBucket = reader.getLong();
        int[] counts = new int[reader.getVarInt()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = reader.getVarInt();
        }
        return new Dispatches(watchedSince, latest, firstBucket, counts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Dispatches that && watchedSince == that.watchedSince && latest == that.latest
                && firstBucket == that.firstBucket && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(watchedSince, latest, firstBucket, Arrays.hashCode(counts));
    }

    @Override
    public String toString() {
        return "Dispatches[watchedSince=" + watchedSince + ", latest=" + latest + ", firstBucket=" + firstBucket
                + ", counts=" + Arrays.toString(counts) + "]";
    }
}
