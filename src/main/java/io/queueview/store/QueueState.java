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
     * come as the store holds them (by queue, then id); each queue's go into its table as they come and are linked into
     * its order and indexes sorted, as appends (the view's put searched and copied within a chunk for each, 85 % of a
     * rebuild's samples), and no decoded entry is held meanwhile.
     */
    public long rebuildView() {
        view.clear();
        long read = 0;
        byte[] queueKey = null; // one queue's entries come one after the other: decode its id once
        QueueId queue = null;
        try (KeyValueIterator<Bytes, byte[]> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> next = all.next();
                byte[] key = next.key.get();
                if (queueKey == null || !QueueKeys.sameQueue(queueKey, key)) {
                    queue = QueueKeys.queueOf(key);
                    queueKey = key;
                }
                view.load(QueuedEntry.fromBytes(queue, next.value));
                read++;
            }
        }
        view.loaded();
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

    /** How many entries the queue holds. */
    public long depth(QueueId queue) {
        QueueView queued = view.view(queue);
        return queued == null ? 0 : queued.size();
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

    /**
     * As {@link #put(Entry, Long)}, at this record time; an entry that lands ahead of entries queued before it (a new
     * one not at the tail, or one moved towards the head) is counted for the estimated wait, once the queue has
     * dispatched (before that no estimate needs it, and a bulk load does not pay for it).
     */
    public void put(Entry entry, Long version, long at) {
        Dispatches dispatches = view.dispatches(entry.queue());
        if (dispatches == null || !dispatches.countsArrivals()) {
            put(entry, version);
            return;
        }
        QueueView order = view.view(entry.queue());
        QueuedEntry before = order == null ? null : order.get(entry.id());
        long from = before == null ? Long.MAX_VALUE : order.ahead(before.entry()) + 1;
        put(entry, version);
        order = view.view(entry.queue());
        long landed = order.ahead(entry) + 1;
        if (landed < Math.min(from, order.size())) { // ahead of those from landed to from - 1
            count(entry.queue(), counters -> from == Long.MAX_VALUE ? counters.plusArrivalAhead(at, landed)
                    : counters.plusArrivalAhead(at, landed).plusDeparture(at, from));
        } else if (before != null && landed > from) { // those from from + 1 to landed move up one
            count(entry.queue(), counters -> counters.plusDeparture(at, from).plusArrivalAhead(at, landed));
        }
    }

    /**
     * Takes a queued entry out for a reason other than a dispatch, at this record time; returns it. The entries
     * behind it move up one, which is counted for the estimated wait (as {@link #put(Entry, Long, long)} counts).
     */
    public Entry removeUndispatched(QueueId queue, long id, long at) {
        Dispatches dispatches = view.dispatches(queue);
        if (dispatches != null && dispatches.countsArrivals()) {
            QueueView order = view.view(queue);
            QueuedEntry queued = order == null ? null : order.get(id);
            if (queued != null) {
                long from = order.ahead(queued.entry()) + 1;
                if (from < order.size()) {
                    count(queue, counters -> counters.plusDeparture(at, from));
                }
            }
        }
        return remove(queue, id);
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

    /** As {@link #dispatched(QueueId, long)}, of this entry: counted for its cluster's pace too. */
    public void dispatched(Entry entry, long at) {
        String cluster = FilterField.cluster(entry.clusterType(), entry.clusterId());
        count(entry.queue(), counters -> counters.plusDispatch(at, cluster));
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
