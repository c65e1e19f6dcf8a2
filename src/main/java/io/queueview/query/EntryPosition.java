package io.queueview.query;

import io.queueview.queue.Entry;

/**
 * Where an entry stands: position 1 is the next to be served; queueTotal counts the whole queue; estimate is how
 * long it may wait, or null when the queue has not dispatched enough lately to tell; ahead, what is before it.
 */
public record EntryPosition(Entry entry, long position, long queueTotal, WaitEstimate estimate, Ahead ahead) {
}
