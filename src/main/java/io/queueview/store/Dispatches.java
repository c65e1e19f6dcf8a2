package io.queueview.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A queue's recent dispatches — its removals with reason DISPATCHED — by record time: the basis of the estimated
 * wait. Counted per 10 s, from the newest dispatch back over the {@link #WINDOW} (so at most 91 counts, a few dozen
 * bytes), beside the time the queue has been watched from (the record time of the first of its events seen), so a
 * queue watched for less than the window is not taken for a slow one.
 * <p>
 * Beside them, per minute over the same window, the detail an entry's estimate needs: the dispatches of each cluster
 * (an entry waits for its own cluster's pace), the arrivals that landed ahead of entries queued before them (new
 * entries, raised priorities and moves towards the head, by the position they landed at, in powers of two) and the
 * departures other than dispatches (removals for another reason, moves towards the tail, and the place a move up
 * left), by the position they left from, counted from the first dispatch this version saw ({@code detailSince}).
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
     * tenth. The same holds for a cluster's share of them.
     */
    public static final int MIN_DISPATCHES = 10;
    /**
     * A window shorter than this gives no pace: two counts of 10 s, so a single batch is not a pace. Not longer: a
     * queue watched for 30 s that dispatched 60 has a pace of 120 a minute, not 60.
     */
    static final Duration SHORTEST_WINDOW = Duration.ofSeconds(20);
    /** Each count covers (start, start + 10 s] of record time: the window's start moves in 10 s steps. */
    static final long BUCKET_MS = 10_000;
    /** The detail is counted per minute: a ratio (a cluster's share) and a slow rate (arrivals ahead) need no finer. */
    static final long DETAIL_BUCKET_MS = 60_000;
    /** Clusters beyond these many in one queue are not told apart (their entries' estimates use the queue's pace). */
    public static final int MAX_CLUSTERS = 64;
    /** The key of the dispatches of entries that name no cluster (a cluster type and id both). */
    static final String NO_CLUSTER = "";
    private static final long WINDOW_MS = WINDOW.toMillis();
    /** The counts a window can reach back to from its newest dispatch: its length over a count's, and the one it ends in. */
    private static final int BUCKETS = (int) (WINDOW_MS / BUCKET_MS) + 1;
    /**
     * The detail reaches back an hour: an entry whose wait is longer than the window is estimated over the hour, so
     * the bursts and lulls of a quarter of an hour do not swing it (see {@link DispatchRate#longer}).
     */
    static final Duration LONG_WINDOW = Duration.ofHours(1);
    private static final long LONG_WINDOW_MS = LONG_WINDOW.toMillis();
    private static final int DETAIL_BUCKETS = (int) (LONG_WINDOW_MS / DETAIL_BUCKET_MS) + 1;
    private static final long NONE = Long.MIN_VALUE;

    private final long watchedSince;
    /** Record time of the newest dispatch, or NONE. */
    private final long latest;
    /** The bucket of counts[0]; counts[i] holds the dispatches of bucket firstBucket + i. */
    private final long firstBucket;
    private final int[] counts;
    /** Record time from which the detail is counted (the first dispatch seen with it), or NONE. */
    private final long detailSince;
    /** Dispatches per minute by cluster (NO_CLUSTER for entries naming none); never changed once built. */
    private final Map<String, Counts> byCluster;
    /** Arrivals ahead per minute by the band of the position they landed at; never changed once built. */
    private final Map<Integer, Counts> aheadByBand;
    /**
     * Departures other than dispatches per minute by the band of the position they left from (an entry removed, or
     * moved towards the tail): the entries behind it move up one; never changed once built.
     */
    private final Map<Integer, Counts> leftByBand;

    private Dispatches(long watchedSince, long latest, long firstBucket, int[] counts, long detailSince,
                       Map<String, Counts> byCluster, Map<Integer, Counts> aheadByBand,
                       Map<Integer, Counts> leftByBand) {
        this.watchedSince = watchedSince;
        this.latest = latest;
        this.firstBucket = firstBucket;
        this.counts = counts;
        this.detailSince = detailSince;
        this.byCluster = byCluster;
        this.aheadByBand = aheadByBand;
        this.leftByBand = leftByBand;
    }

    /** A queue watched from this record time (epoch ms), with no dispatch yet. */
    public static Dispatches watchedFrom(long at) {
        return new Dispatches(at, NONE, 0, new int[0], NONE, Map.of(), Map.of(), Map.of());
    }

    /** With one more dispatch at this record time, of an entry that names no cluster. */
    public Dispatches plus(long at) {
        return plus(at, null);
    }

    /**
     * With one more dispatch at this record time, of an entry of this cluster (as {@link FilterField#cluster} gives
     * it; null: none); one older than any window that can still be asked for is dropped.
     */
    public Dispatches plus(long at, String cluster) {
        long bucket = bucketOf(at, BUCKET_MS);
        long since = detailSince == NONE ? at : detailSince;
        Map<String, Counts> clusters = byCluster;
        String key = cluster == null ? NO_CLUSTER : cluster;
        if (clusters.containsKey(key) || clusters.size() < MAX_CLUSTERS) {
            clusters = new TreeMap<>(clusters);
            clusters.put(key, Counts.plus(clusters.get(key), bucketOf(at, DETAIL_BUCKET_MS)));
        }
        if (counts.length == 0) {
            return new Dispatches(watchedSince, at, bucket, new int[] {1}, since, clusters, aheadByBand, leftByBand);
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
        long latestNow = Math.max(latest, at);
        return new Dispatches(watchedSince, latestNow, first, next, since, pruned(clusters, latestNow),
                pruned(aheadByBand, latestNow), pruned(leftByBand, latestNow));
    }

    /**
     * With one more arrival at this record time that landed at this position (1 = the head) ahead of entries queued
     * before it: counted only once the detail is (after the first dispatch), since without dispatches there is no
     * estimate for it to correct.
     */
    public Dispatches plusArrivalAhead(long at, long position) {
        if (detailSince == NONE || position < 1) {
            return this;
        }
        return new Dispatches(watchedSince, latest, firstBucket, counts, detailSince, byCluster,
                plusBand(aheadByBand, at, position), leftByBand);
    }

    /**
     * With one more departure other than a dispatch at this record time, from this position (an entry removed for
     * another reason, or moved towards the tail): the entries behind it move up one. Counted as arrivals are.
     */
    public Dispatches plusDeparture(long at, long position) {
        if (detailSince == NONE || position < 1) {
            return this;
        }
        return new Dispatches(watchedSince, latest, firstBucket, counts, detailSince, byCluster, aheadByBand,
                plusBand(leftByBand, at, position));
    }

    private static Map<Integer, Counts> plusBand(Map<Integer, Counts> bands, long at, long position) {
        int band = 63 - Long.numberOfLeadingZeros(position);
        Map<Integer, Counts> next = new TreeMap<>(bands);
        next.put(band, Counts.plus(next.get(band), bucketOf(at, DETAIL_BUCKET_MS)));
        return next;
    }

    /** Whether an arrival ahead would be counted now (see {@link #plusArrivalAhead}). */
    public boolean countsArrivals() {
        return detailSince != NONE;
    }

    /** Drops the detail counts that no window ending at or after latest can reach. */
    private static <K> Map<K, Counts> pruned(Map<K, Counts> detail, long latest) {
        long oldestKept = bucketOf(latest, DETAIL_BUCKET_MS) - (DETAIL_BUCKETS - 1);
        boolean stale = false;
        for (Counts kept : detail.values()) {
            stale |= kept.first() < oldestKept;
        }
        if (!stale) {
            return detail;
        }
        Map<K, Counts> fresh = new TreeMap<>();
        detail.forEach((key, kept) -> {
            Counts from = kept.from(oldestKept);
            if (from != null) {
                fresh.put(key, from);
            }
        });
        return fresh;
    }

    /**
     * The pace over the window that ends now — or at the newest dispatch, should this clock be behind the records' —
     * and starts a {@link #WINDOW} earlier (at the 10 s step at or before that), or when watching began if that is
     * later (then it holds every dispatch counted). Null with fewer than {@link #MIN_DISPATCHES} dispatches in it, or
     * a window shorter than {@link #SHORTEST_WINDOW}: a queue that stopped dispatching reads slower and slower, then
     * has no pace at all. With the pace, the detail over the same 15 minutes (per minute): each cluster's dispatches
     * and the arrivals ahead.
     *
     * @param now epoch ms
     */
    public DispatchRate rate(long now) {
        if (counts.length == 0) {
            return null;
        }
        long end = Math.max(now, latest);
        long start;
        long dispatches = 0;
        if (watchedSince >= end - WINDOW_MS) { // watched for less than the window: every count kept is after watchedSince
            start = watchedSince;
            for (int count : counts) {
                dispatches += count;
            }
        } else {
            long firstCounted = Math.floorDiv(end - WINDOW_MS, BUCKET_MS); // the bucket that starts at the window's start
            start = firstCounted * BUCKET_MS;
            for (int i = 0; i < counts.length; i++) {
                if (firstBucket + i >= firstCounted) {
                    dispatches += counts[i];
                }
            }
        }
        if (dispatches < MIN_DISPATCHES || end - start < SHORTEST_WINDOW.toMillis()) {
            return null;
        }
        if (detailSince == NONE) {
            return new DispatchRate(dispatches, end - start);
        }
        DispatchRate longer = null;
        long longStart = Math.max(Math.floorDiv(end - LONG_WINDOW_MS, DETAIL_BUCKET_MS) * DETAIL_BUCKET_MS, detailSince);
        if (end - longStart > end - start + DETAIL_BUCKET_MS && byCluster.size() < MAX_CLUSTERS) {
            // every dispatch is in one cluster's counts (or NO_CLUSTER's): their sum is the queue's
            Map<String, Long> clusters = clusters(end, LONG_WINDOW_MS);
            long all = clusters.values().stream().mapToLong(Long::longValue).sum();
            if (all >= MIN_DISPATCHES) {
                longer = new DispatchRate(all, end - longStart, clusters, ahead(end, LONG_WINDOW_MS),
                        end - longStart, null);
            }
        }
        // every detail count from detailSince's minute on was counted after detailSince
        long detailStart = Math.max(Math.floorDiv(end - WINDOW_MS, DETAIL_BUCKET_MS) * DETAIL_BUCKET_MS, detailSince);
        return new DispatchRate(dispatches, end - start, clusters(end, WINDOW_MS), ahead(end, WINDOW_MS),
                Math.max(end - detailStart, 1), longer);
    }

    /** Each cluster's dispatches in the minutes of a window of this length that ends at end. */
    private Map<String, Long> clusters(long end, long window) {
        long firstMinute = Math.floorDiv(end - window, DETAIL_BUCKET_MS);
        Map<String, Long> clusters = new TreeMap<>();
        byCluster.forEach((cluster, kept) -> clusters.put(cluster, kept.since(firstMinute)));
        return clusters;
    }

    /** The net arrivals ahead by band in the minutes of a window of this length that ends at end. */
    private long[] ahead(long end, long window) {
        long firstMinute = Math.floorDiv(end - window, DETAIL_BUCKET_MS);
        long[] ahead = new long[64];
        aheadByBand.forEach((band, kept) -> ahead[band] += kept.since(firstMinute));
        leftByBand.forEach((band, kept) -> ahead[band] -= kept.since(firstMinute));
        return ahead;
    }

    /** Bucket b holds the events of (b * size, (b + 1) * size]: a window (start, end] is whole buckets. */
    private static long bucketOf(long at, long size) {
        return Math.floorDiv(at - 1, size);
    }

    public void write(ByteWriter writer) {
        writer.putLong(watchedSince).putLong(latest).putLong(firstBucket).putVarInt(counts.length);
        for (int count : counts) {
            writer.putVarInt(count);
        }
        // the detail follows: a version that knows only the counts above stops reading before it
        writer.putLong(detailSince).putVarInt(byCluster.size());
        byCluster.forEach((cluster, kept) -> kept.write(writer.putString(cluster)));
        for (Map<Integer, Counts> bands : List.of(aheadByBand, leftByBand)) {
            writer.putVarInt(bands.size());
            bands.forEach((band, kept) -> kept.write(writer.putVarInt(band)));
        }
    }

    /**
     * @param length the value's length: when it ends after the counts, it was written by a version without the
     *               detail, which is counted from the next dispatch
     */
    public static Dispatches read(ByteReader reader, int length) {
        long watchedSince = reader.getLong();
        long latest = reader.getLong();
        long firstBucket = reader.getLong();
        int[] counts = new int[reader.getVarInt()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = reader.getVarInt();
        }
        if (reader.position() >= length) {
            return new Dispatches(watchedSince, latest, firstBucket, counts, NONE, Map.of(), Map.of(), Map.of());
        }
        long detailSince = reader.getLong();
        Map<String, Counts> clusters = new TreeMap<>();
        for (int i = reader.getVarInt(); i > 0; i--) {
            String cluster = reader.getString();
            clusters.put(cluster, Counts.read(reader));
        }
        Map<Integer, Counts> ahead = readBands(reader);
        Map<Integer, Counts> left = readBands(reader);
        return new Dispatches(watchedSince, latest, firstBucket, counts, detailSince, clusters, ahead, left);
    }

    private static Map<Integer, Counts> readBands(ByteReader reader) {
        Map<Integer, Counts> bands = new TreeMap<>();
        for (int i = reader.getVarInt(); i > 0; i--) {
            int band = reader.getVarInt();
            bands.put(band, Counts.read(reader));
        }
        return bands;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Dispatches that && watchedSince == that.watchedSince && latest == that.latest
                && firstBucket == that.firstBucket && Arrays.equals(counts, that.counts)
                && detailSince == that.detailSince && byCluster.equals(that.byCluster)
                && aheadByBand.equals(that.aheadByBand) && leftByBand.equals(that.leftByBand);
    }

    @Override
    public int hashCode() {
        return Objects.hash(watchedSince, latest, firstBucket, Arrays.hashCode(counts), detailSince, byCluster,
                aheadByBand, leftByBand);
    }

    @Override
    public String toString() {
        return "Dispatches[watchedSince=" + watchedSince + ", latest=" + latest + ", firstBucket=" + firstBucket
                + ", counts=" + Arrays.toString(counts) + ", detailSince=" + detailSince + ", byCluster=" + byCluster
                + ", aheadByBand=" + aheadByBand + ", leftByBand=" + leftByBand + "]";
    }

    /** Counts per minute from a first minute on; immutable. */
    private record Counts(long first, int[] counts) {

        static Counts plus(Counts kept, long bucket) {
            if (kept == null) {
                return new Counts(bucket, new int[] {1});
            }
            long first = Math.min(kept.first, bucket);
            long last = Math.max(kept.first + kept.counts.length - 1, bucket);
            int[] next = new int[(int) (last - first + 1)];
            System.arraycopy(kept.counts, 0, next, (int) (kept.first - first), kept.counts.length);
            next[(int) (bucket - first)]++;
            return new Counts(first, next);
        }

        /** These counts from this bucket on; null when none is left. */
        Counts from(long bucket) {
            if (first >= bucket) {
                return this;
            }
            int skip = (int) (bucket - first);
            return skip >= counts.length ? null : new Counts(bucket, Arrays.copyOfRange(counts, skip, counts.length));
        }

        long since(long bucket) {
            long sum = 0;
            for (int i = 0; i < counts.length; i++) {
                if (first + i >= bucket) {
                    sum += counts[i];
                }
            }
            return sum;
        }

        void write(ByteWriter writer) {
            writer.putLong(first).putVarInt(counts.length);
            for (int count : counts) {
                writer.putVarInt(count);
            }
        }

        static Counts read(ByteReader reader) {
            long first = reader.getLong();
            int[] counts = new int[reader.getVarInt()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = reader.getVarInt();
            }
            return new Counts(first, counts);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Counts that && first == that.first && Arrays.equals(counts, that.counts);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(first) * 31 + Arrays.hashCode(counts);
        }

        @Override
        public String toString() {
            return first + ":" + Arrays.toString(counts);
        }
    }
}
