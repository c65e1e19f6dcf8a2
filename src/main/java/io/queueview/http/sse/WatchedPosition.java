package io.queueview.http.sse;

import java.util.Objects;

/**
 * Where a watched entry stands, as the position call answers it.
 *
 * @param estimatedWaitSeconds null when the queue's pace gives no estimate
 */
public record WatchedPosition(long position, long queueTotal, Long estimatedWaitSeconds) {

    /** The same position and estimate: what a watcher is told of (the queue's total alone is not). */
    boolean sameAs(WatchedPosition other) {
        return other != null && position == other.position
                && Objects.equals(estimatedWaitSeconds, other.estimatedWaitSeconds);
    }
}
