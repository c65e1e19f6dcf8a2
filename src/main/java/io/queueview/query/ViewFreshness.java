package io.queueview.query;

import java.time.Instant;

/**
 * How fresh the view that answered is, for the queue's partition: the timestamp of the last record it applied (the
 * scheduler's event, or a command), and how many records of the partition it had not applied yet.
 *
 * @param appliedUntil null when the partition has applied nothing since this instance took it
 * @param lag          records behind the view, as of Kafka Streams' last look (-1: not known): of the partition's
 *                     input for the active view, of its changelog for a copy
 * @param stale        the answer came from a copy of the partition's stores (a standby), not its active view
 */
public record ViewFreshness(Instant appliedUntil, long lag, boolean stale) {

    /** The active view's freshness. */
    public ViewFreshness(Instant appliedUntil, long lag) {
        this(appliedUntil, lag, false);
    }

    /** A copy's: it says nothing of when it was applied. */
    public static ViewFreshness ofCopy(long lag) {
        return new ViewFreshness(null, lag, true);
    }
}
