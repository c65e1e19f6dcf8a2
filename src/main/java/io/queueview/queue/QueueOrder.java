package io.queueview.queue;

import java.util.Iterator;

/** A queue's entries in queue order, as the move rule reads them around the entry it moves. */
public interface QueueOrder {

    /** The first entry, or null when the queue is empty. */
    Entry first();

    /** The last entry, or null when the queue is empty. */
    Entry last();

    /** The entry just before this one in queue order, or null. */
    Entry before(Entry entry);

    /** The entry just after this one in queue order, or null. */
    Entry after(Entry entry);

    /** The entries after this one, in queue order, read only as far as needed. */
    Iterator<Entry> following(Entry entry);
}
