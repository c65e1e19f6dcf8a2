package io.queueview.query;

import java.time.Instant;
import java.util.List;

/**
 * How long a queue's jobs wait, from its wait history (by record time): over the last hour and the last 24 hours,
 * and its depth a minute at a time over the last 24 hours.
 *
 * @param depthFrom the minute of the first depth point (the later of 24 hours ago and the first minute the history
 *                  knows); null when it knows none
 * @param depth     the queue's depth at the end of each minute from depthFrom, one a minute, up to now's minute
 */
public record WaitStats(Window lastHour, Window lastDay, Instant depthFrom, List<Long> depth) {

    /**
     * The dispatches (removals with reason DISPATCHED) of a window that ends now.
     *
     * @param seconds      the window's length: its nominal length, or less for a queue whose history starts later
     * @param dispatched   how many
     * @param perMinute    dispatched per minute of the window, to 0.01
     * @param timed        of those, how many have a time in queue (their enqueue was seen by this version)
     * @param percentiles  the time in queue in seconds at p50, p90 and p99 (a bucket's upper bound: at most 9 % above
     *                     the true figure); null when none is timed
     */
    public record Window(long seconds, long dispatched, double perMinute, long timed, Percentiles percentiles) {
    }

    /** Times in queue, in seconds. */
    public record Percentiles(double p50, double p90, double p99) {
    }
}
