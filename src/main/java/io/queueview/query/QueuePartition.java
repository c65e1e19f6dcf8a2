package io.queueview.query;

import io.queueview.store.QueueViewStore;

/** The partition that holds a queue: its number, and its queues in memory. */
public record QueuePartition(int partition, QueueViewStore view) {
}
