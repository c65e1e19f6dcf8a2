package io.queueview.query;

import io.queueview.store.QueueViews;

/** The partition that holds a queue: its number, and its queues in memory, read-only. */
public record QueuePartition(int partition, QueueViews views) {
}
