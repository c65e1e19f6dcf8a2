package io.queueview.command;

import io.queueview.queue.QueueId;

/**
 * A write of the API, as a record of the queue-commands topic (keyed by queue, co-partitioned with the
 * repartition topic). The projector applies it in topic order among the queue's events; commandId lets the
 * caller find its outcome and makes a re-delivered command a no-op.
 */
public sealed interface QueueCommand permits MoveEntry, SetPriority {

    /** What the audit trail says of a command whose caller is not known. */
    String UNKNOWN_CALLER = "unknown";

    String commandId();

    QueueId queue();

    /** The caller who asked for it: a token's name, or a JWT's subject. */
    String requestedBy();
}
