package io.queueview.store;

/**
 * A queue's observed pace: so many dispatches over a window of record time that ends now (see
 * {@link Dispatches#rate}).
 *
 * @param dispatches   removals with reason DISPATCHED in the window, at least {@link Dispatches#MIN_DISPATCHES}
 * @param windowMillis the window's length, over a minute
 */
public record DispatchRate(long dispatches, long windowMillis) {

    public double perMinute() {
        return dispatches * 60_000.0 / windowMillis;
    }

    /** How long until this many more dispatches, at this pace, in seconds. */
    public double secondsFor(long dispatchesAhead) {
        return dispatchesAhead * (windowMillis / 1000.0) / dispatches;
    }
}
