package io.queueview.event;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;

/** An entry joins its queue (or, with a greater version, replaces what the view holds for it). */
public record JobEnqueued(Entry entry, Long version) implements QueueEvent {

    @Override
    public QueueId queue() {
        return entry.queue();
    }

    @Override
    public long id() {
        return entry.id();
    }
}
