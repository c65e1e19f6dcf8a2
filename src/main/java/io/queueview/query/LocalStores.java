package io.queueview.query;

import io.queueview.queue.QueueId;

/** Where this instance finds a queue's stores: Kafka Streams in the service, a test driver in tests. */
public interface LocalStores {

    /** True when the view can answer lists (not starting, restoring or rebalancing). */
    boolean ready();

    /**
     * The stores holding this queue.
     *
     * @throws QueueUnavailable when the view is not ready or another instance owns the queue
     */
    QueuePartition partitionOf(QueueId queue);
}
