package io.queueview.event;

import io.queueview.queue.QueueId;

/**
 * One change of one queue entry, as the scheduler published it (EVENTS.md). Values are valid by construction:
 * {@link EventParser} is the only way in from Kafka.
 */
public sealed interface QueueEvent permits JobEnqueued, JobUpdated, JobDequeued {

    QueueId queue();

    /** The queue entry id; an entry is identified by (queue, id). */
    long id();

    /** Grows with every change of the entry; null when the scheduler does not version its events. */
    Long version();
}
