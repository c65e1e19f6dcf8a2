package io.queueview.store;

import java.util.Map;

/**
 * A queue's observed pace: so many dispatches over a window of record time that ends now (see
 * {@link Dispatches#rate}), and, when counted, the detail over the last 15 minutes (or since the detail was counted,
 * detailWindowMillis): each cluster's dispatches, and the arrivals that landed ahead of entries already queued, by
 * the band of positions they landed at (band b: positions 2^b to 2^(b+1) - 1).
 *
 * @param dispatches         removals with reason DISPATCHED in the window, at least {@link Dispatches#MIN_DISPATCHES}
 * @param windowMillis       the window's length, at least {@link Dispatches#SHORTEST_WINDOW}
 * @param byCluster          dispatches by cluster ({@link FilterField#cluster}; "" for entries naming none); empty
 *                           when not counted
 * @param aheadByBand        arrivals ahead by band of the position they landed at; null when not counted
 * @param detailWindowMillis the time the detail covers
 * @param longer             the same over the last hour (or since the detail was counted), from the detail's counts
 *                           per minute, for an entry whose wait is longer than this window; null when that is no
 *                           longer than this window
 */
public record DispatchRate(long dispatches, long windowMillis, Map<String, Long> byCluster, long[] aheadByBand,
                           long detailWindowMillis, DispatchRate longer) {

    /**
     * Where arrivals ahead take this share of the dispatches or more, an entry there may stand still: its wait is
     * not estimated.
     */
    static final double MOST_AHEAD = 0.9;
    /** The key of {@link #byCluster} for the dispatches of entries that name no cluster. */
    public static final String NO_CLUSTER = Dispatches.NO_CLUSTER;
    /** Steps per band of the wait's integral: the arrivals ahead change within a band, linearly as counted. */
    private static final int STEPS = 8;

    /** A pace without detail. */
    public DispatchRate(long dispatches, long windowMillis) {
        this(dispatches, windowMillis, Map.of(), null, 0, null);
    }

    public DispatchRate {
        byCluster = Map.copyOf(byCluster);
    }

    public double perMinute() {
        return dispatches * 60_000.0 / windowMillis;
    }

    /** How long until this many more dispatches, at this pace, in seconds. */
    public double secondsFor(long dispatchesAhead) {
        return dispatchesAhead * (windowMillis / 1000.0) / dispatches;
    }

    /**
     * This cluster's share of the dispatches (by the detail's counts); null when the detail is not counted or the
     * cluster had fewer than {@link Dispatches#MIN_DISPATCHES} — too few to tell its pace.
     */
    public Double clusterShare(String cluster) {
        Long own = byCluster.get(cluster);
        if (own == null || own < Dispatches.MIN_DISPATCHES) {
            return null;
        }
        long all = 0;
        for (long count : byCluster.values()) {
            all += count;
        }
        return (double) own / all;
    }

    /** Whether the detail is counted (from the first dispatch this version saw). */
    public boolean hasDetail() {
        return aheadByBand != null;
    }

    /** Arrivals a second that landed at this position or nearer the head (within a band, in proportion). */
    public double aheadPerSecond(double position) {
        if (aheadByBand == null || position < 1) {
            return 0;
        }
        int band = 63 - Long.numberOfLeadingZeros((long) position);
        double arrivals = 0;
        for (int b = 0; b < band; b++) {
            arrivals += aheadByBand[b];
        }
        long low = 1L << band;
        arrivals += aheadByBand[band] * Math.min(1.0, (position - low + 1) / low);
        return arrivals * 1000.0 / detailWindowMillis;
    }

    /**
     * How long until an entry at this position is dispatched, in seconds, at this pace less the arrivals that land
     * ahead of it on the way (each pushes it back one place, each dispatch moves it up one): the integral of
     * 1 / (pace - arrivals ahead of q) over q from 0 to the position. Negative when the arrivals ahead come at
     * {@link #MOST_AHEAD} of the pace or more somewhere on the way: it may not move at all, and no wait is told.
     */
    public double secondsToDispatch(long position) {
        double pace = dispatches * 1000.0 / windowMillis;
        if (aheadByBand == null) {
            return position / pace;
        }
        double seconds = 0;
        double from = 0;
        while (from < position) {
            long bandEnd = Long.highestOneBit((long) from + 1) * 2 - 1; // the last position of from + 1's band
            double to = Math.min(position, bandEnd);
            double step = (to - from) / STEPS;
            for (int i = 0; i < STEPS; i++) {
                double moving = pace - aheadPerSecond(from + (i + 0.5) * step + 0.5);
                if (moving < pace * (1 - MOST_AHEAD)) {
                    return -1;
                }
                seconds += step / moving;
            }
            from = to;
        }
        return seconds;
    }
}
