package io.queueview.command;

import io.queueview.queue.QueueId;

/**
 * A write of the API, as a record of the queue-commands topic (keyed by queue, co-partitioned with the
 * repartition topic). The projector applies it in topic order among the queue's events; commandId lets the
 * caller find its outcome and makes a re-delivered command a no-op.
 */
public sealed interface QueueCommand permits MoveEntry, SetPriority {

    String commandId();

    QueueId queue();
}
