package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueOrder;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The projector's view of its stores: an entry is written to the entries store (one logged write, keyed by queue
 * and id) and to the view in memory at once, so the two never disagree, and likewise a queue's dispatches to the
 * counters store and the view; {@link #rebuildView} puts both back into memory when a task starts. The one writer of
 * the view (the stream thread of its task): the view's mutators are package-private, and readers get only
 * {@link QueueViews}.
 */
public final class QueueState {

    private final KeyValueStore<Bytes, byte[]> entries;
    private final QueueViewStore view;
    private final KeyValueStore<Bytes, byte[]> counters;

    public QueueState(ProcessorContext<?, ?> context) {
        entries = context.getStateStore(QueueStores.ENTRIES);
        view = context.getStateStore(QueueStores.VIEW);
        counters = context.getStateStore(QueueStores.COUNTERS);
    }

    /**
     * Fills the view from the entries store, before the task processes anything; returns the entries read. Entries
     * are put as the store holds them (by queue, then id): the view's order takes an insert anywhere for a binary
     * search and a copy within one chunk, so sorting first (as a tree needed) would only hold a whole queue's decoded
     * entries in the heap at once.
     */
    public long rebuildView() {
        view.clear();
        long read = 0;
        try (KeyValueIterator<Bytes, byte[]> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> next = all.next();
                view.put(QueuedEntry.fromBytes(QueueKeys.queueOf(next.key.get()), next.value));
                read++;
            }
        }
        try (KeyValueIterator<Bytes, byte[]> all = counters.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> next = all.next();
                Dispatches dispatches = QueueCounters.fromBytes(next.value).dispatches();
                if (dispatches != null) {
                    view.putDispatches(QueueKeys.queueOf(next.key.get()), dispatches);
                }
            }
        }
        view.markComplete();
        return read;
    }

    /** The view now reflects every record up to one of this timestamp. */
    public void applied(long timestamp) {
        view.applied(timestamp);
    }

    /** Empties the view in memory; it refuses reads until it is rebuilt. */
    public void dropView() {
        view.clear();
    }

    /** The queued entry with its version, or null when it is not queued. */
    public QueuedEntry get(QueueId queue, long id) {
        return view.get(queue, id);
    }

    /** The queue's order in memory, or null when it is empty; for reading neighbours. */
    public QueueOrder queue(QueueId queue) {
        return view.view(queue);
    }

    /** Queues the entry with the version the view holds for it, in place of the one with its id, if any. */
    public void put(Entry entry, Long version) {
        QueuedEntry queued = new QueuedEntry(entry, version);
        entries.put(Bytes.wrap(QueueKeys.entry(entry.queue(), entry.id())), queued.toBytes());
        view.put(queued);
    }

    /** Takes a queued entry out; returns it. */
    public Entry remove(QueueId queue, long id) {
        entries.put(Bytes.wrap(QueueKeys.entry(queue, id)), null); // a delete, without reading the old value
        return view.remove(queue, id).entry();
    }

    /**
     * An event of the queue, at this record time: from here on its dispatches are counted. Once per queue (or per
     * queue last written before dispatches were kept): afterwards the view has them.
     */
    public void watch(QueueId queue, long at) {
        if (view.dispatches(queue) == null) {
            count(queue, counters -> counters.watchedFrom(at));
        }
    }

    /** A removal with reason DISPATCHED at this record time, in the same transaction as the removal. */
    public void dispatched(QueueId queue, long at) {
        count(queue, counters -> counters.plusDispatch(at));
    }

    public void count(QueueId queue, UnaryOperator<QueueCounters> change) {
        Bytes key = Bytes.wrap(QueueKeys.queue(queue));
        QueueCounters changed = change.apply(QueueCounters.fromBytes(counters.get(key)));
        counters.put(key, changed.toBytes());
        if (changed.dispatches() != null) {
            view.putDispatches(queue, changed.dispatches());
        }
    }
}
