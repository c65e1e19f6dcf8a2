package io.queueview.query;

import io.queueview.queue.Entry;

/** Where an entry stands: position 1 is the next to be served; queueTotal counts the whole queue. */
public record EntryPosition(Entry entry, long position, long queueTotal) {
}
