package io.queueview.event;

import io.queueview.queue.QueueId;

/** The entry leaves its queue; reason is DISPATCHED, CANCELLED, DELETED, FAILED, another word, or null. */
public record JobDequeued(QueueId queue, long id, Long version, String reason)
        implements QueueEvent {
}
