package io.queueview.topology;

import io.queueview.queue.QueueType;

/**
 * Told of each dispatch whose time in queue is known, on the stream thread as the projector applies it: for the
 * service's histogram of time in queue. A task that processes records again after an aborted transaction tells
 * again; the stores count each dispatch once.
 */
@FunctionalInterface
public interface WaitObserver {

    WaitObserver NONE = (type, waitMillis) -> { };

    void dispatched(QueueType type, long waitMillis);
}
