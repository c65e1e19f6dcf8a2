package io.queueview.query;

/**
 * Which view may answer a read: only the queue's active view, or — when no active view can answer here — a copy of
 * its partition's stores here (a standby) no more than maxLag records behind.
 */
public record ReadFrom(boolean copyAllowed, long maxLag) {

    public static final ReadFrom ACTIVE = new ReadFrom(false, 0);

    public ReadFrom {
        if (maxLag < 0) {
            throw new IllegalArgumentException("maxLag must not be negative: " + maxLag);
        }
    }

    public static ReadFrom activeOrCopy(long maxLag) {
        return new ReadFrom(true, maxLag);
    }
}
