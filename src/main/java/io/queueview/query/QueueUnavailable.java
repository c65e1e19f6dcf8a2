package io.queueview.query;

/**
 * This instance cannot answer for a queue right now — it is starting, restoring or rebalancing, or another
 * instance owns the queue. The message says which; the caller should retry after a moment.
 */
public final class QueueUnavailable extends RuntimeException {

    public QueueUnavailable(String message) {
        super(message, null, false, false);
    }
}
