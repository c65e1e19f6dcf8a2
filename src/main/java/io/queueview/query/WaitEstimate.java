package io.queueview.query;

import io.queueview.store.DispatchRate;
import io.queueview.store.Dispatches;

/**
 * How long an entry may wait before it is dispatched — an estimate, not a promise: its position over the queue's
 * observed pace, less the arrivals that have been landing ahead of entries where it stands; and for an entry that
 * names a cluster, over its cluster's pace, among the entries of its cluster ahead of it. As if the queue kept that
 * pace, and those arrivals theirs.
 *
 * @param waitSeconds               rounded to the second
 * @param dispatchesPerMinute       the queue's pace: removals with reason DISPATCHED per minute over the window, to 0.01
 * @param windowSeconds             the window the pace was read over, ending now
 * @param basis                     QUEUE (the queue's pace) or CLUSTER (the pace of the entry's cluster)
 * @param clusterDispatchesPerMinute the cluster's pace, to 0.01, with basis CLUSTER; else null
 * @param arrivalsAheadPerMinute    arrivals a minute that landed ahead of the entry's position, to 0.01; null when
 *                                  they are not counted yet (the queue's first dispatch since an upgrade)
 */
public record WaitEstimate(long waitSeconds, double dispatchesPerMinute, long windowSeconds, Basis basis,
                           Double clusterDispatchesPerMinute, Double arrivalsAheadPerMinute) {

    /** What an estimate goes by. */
    public enum Basis { QUEUE, CLUSTER, NO_CLUSTER }

    /** By the queue's pace alone. */
    public WaitEstimate(long waitSeconds, double dispatchesPerMinute, long windowSeconds) {
        this(waitSeconds, dispatchesPerMinute, windowSeconds, Basis.QUEUE, null, null);
    }

    /** The estimate for a position (1 = next to be served) at this pace; null when there is no pace to go by. */
    public static WaitEstimate at(long position, DispatchRate pace) {
        return at(position, null, position, pace);
    }

    /**
     * The estimate for a position of an entry of this cluster ({@code FilterField.cluster}; null: none), which has
     * clusterPosition - 1 entries of its cluster ahead of it. Null when it cannot be trusted: the queue has no pace,
     * arrivals ahead of the position come nearly as fast as dispatches, or the cluster dispatched too few in the
     * window to tell its pace.
     */
    public static WaitEstimate at(long position, String cluster, long clusterPosition, DispatchRate pace) {
        WaitEstimate estimate = over(position, cluster, clusterPosition, pace);
        if (estimate != null && pace.longer() != null && estimate.waitSeconds() > estimate.windowSeconds()) {
            // a wait longer than the window it was read over is read over the hour: the pace of the next half hour is
            // told better by the last hour than by a quarter that may have been a burst or a lull
            WaitEstimate longer = over(position, cluster, clusterPosition, pace.longer());
            return longer != null ? longer : estimate;
        }
        return estimate;
    }

    private static WaitEstimate over(long position, String cluster, long clusterPosition, DispatchRate pace) {
        if (pace == null) {
            return null;
        }
        double seconds = pace.secondsToDispatch(position);
        if (seconds < 0) {
            return null;
        }
        Double ahead = pace.hasDetail() ? round(pace.aheadPerSecond(position) * 60) : null;
        double perMinute = round(pace.perMinute());
        long window = Math.round(pace.windowMillis() / 1000.0);
        boolean untracked = pace.byCluster().size() >= Dispatches.MAX_CLUSTERS && !pace.byCluster().containsKey(cluster);
        if (cluster == null || !pace.hasDetail() || untracked) {
            return new WaitEstimate(Math.round(seconds), perMinute, window, Basis.QUEUE, null, ahead);
        }
        Double share = pace.clusterShare(cluster);
        if (share == null) {
            return null;
        }
        // its cluster's entries ahead drain at the cluster's share of the pace (and of the arrivals ahead)
        double clusterSeconds = seconds * clusterPosition / position / share;
        return new WaitEstimate(Math.round(clusterSeconds), perMinute, window,
                cluster.equals(DispatchRate.NO_CLUSTER) ? Basis.NO_CLUSTER : Basis.CLUSTER,
                round(pace.perMinute() * share), ahead);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
