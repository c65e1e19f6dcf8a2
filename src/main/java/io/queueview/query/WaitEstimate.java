package io.queueview.query;

import io.queueview.store.DispatchRate;

/**
 * How long an entry may wait before it is dispatched — an estimate, not a promise: its position over the queue's
 * observed pace, as if the queue kept that pace and its order (entries put ahead of it, moves and priority changes
 * make the real wait longer or shorter).
 *
 * @param waitSeconds           position / dispatches per second, rounded to the second
 * @param dispatchesPerMinute   the pace: removals with reason DISPATCHED per minute over the window, to 0.01
 * @param windowSeconds         the window the pace was read over, ending now
 */
public record WaitEstimate(long waitSeconds, double dispatchesPerMinute, long windowSeconds) {

    /** The estimate for a position (1 = next to be served) at this pace; null when there is no pace to go by. */
    public static WaitEstimate at(long position, DispatchRate pace) {
        if (pace == null) {
            return null;
        }
        return new WaitEstimate(Math.round(pace.secondsFor(position)), Math.round(pace.perMinute() * 100) / 100.0,
                Math.round(pace.windowMillis() / 1000.0));
    }
}
