package io.queueview.topology;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.EntryCodec;
import io.queueview.store.EntryPlace;
import io.queueview.store.FilterField;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueCountsStore;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The projector's view of its stores: an entry is put or removed everywhere at once — the queue, the id index,
 * the secondary index of each filter field, and the counts read by totals, offsets and positions — so the
 * stores never disagree. The secondary index and the counts are derived from the entries and kept without a
 * changelog (the counts in memory); {@link #rebuildDerived} brings them back when a task starts.
 */
final class QueueState {

    private final KeyValueStore<Bytes, byte[]> entries;
    private final KeyValueStore<Bytes, byte[]> index;
    private final KeyValueStore<Bytes, byte[]> filterIndex;
    private final QueueCountsStore counts;
    private final KeyValueStore<Bytes, byte[]> counters;

    QueueState(ProcessorContext<?, ?> context) {
        entries = context.getStateStore(QueueStores.ENTRIES);
        index = context.getStateStore(QueueStores.INDEX);
        filterIndex = context.getStateStore(QueueStores.FILTER_INDEX);
        counts = context.getStateStore(QueueStores.COUNTS);
        counters = context.getStateStore(QueueStores.COUNTERS);
    }

    /**
     * The generation of the filter index: a random id written when it is built, kept locally (in the index itself)
     * and, once this instance changes the view, in the logged counters store. Equal ids mean no other instance has
     * changed this task's view since this index was built.
     */
    private static final Bytes GENERATION = Bytes.wrap("derived-stores-generation".getBytes(StandardCharsets.UTF_8));
    private byte[] unrecordedGeneration;

    /** What {@link #rebuildDerived} did: entries read, and whether the filter index had to be built anew. */
    record Rebuild(long entries, boolean filterIndexBuilt) {
    }

    /**
     * Brings the derived stores (no changelog) in line with the entries, before the task processes anything. The
     * counts live in memory, so they are counted anew on every start. The filter index lives on disk and is kept
     * unless it may not match: built anew on a new instance, after the local state was lost, when an exactly-once
     * task was wiped and restored, and when the task comes back to this instance after another one changed its
     * view (the local index would be old while the entries are restored up to date). Under at-least-once a crash
     * leaves the local stores as they were while the input is processed again from the last commit, so there the
     * caller asks for a new index on every start.
     */
    Rebuild rebuildDerived(boolean alwaysIndex) {
        byte[] local = filterIndex.get(GENERATION);
        boolean indexCurrent = !alwaysIndex && local != null && Arrays.equals(local, counters.get(GENERATION));
        if (!indexCurrent) {
            List<Bytes> stale = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> all = filterIndex.all()) {
                all.forEachRemaining(kv -> stale.add(kv.key));
            }
            stale.forEach(filterIndex::delete);
        }
        counts.clear();
        long read = 0;
        try (KeyValueIterator<Bytes, byte[]> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> next = all.next();
                Entry entry = EntryCodec.decode(QueueKeys.queueOf(next.key.get()), next.value);
                if (indexCurrent) {
                    counts.add(entry, 1);
                } else {
                    index(entry, next.value, 1);
                }
                read++;
            }
        }
        if (!indexCurrent) {
            unrecordedGeneration = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
            filterIndex.put(GENERATION, unrecordedGeneration);
        }
        return new Rebuild(read, !indexCurrent);
    }

    /**
     * Records the generation built at start in the logged store, with the first record this task processes (a
     * logged write needs one): from then on another instance that takes the task over sees it.
     */
    void recordGeneration() {
        if (unrecordedGeneration != null) {
            counters.put(GENERATION, unrecordedGeneration);
            unrecordedGeneration = null;
        }
    }

    KeyValueStore<Bytes, byte[]> entries() {
        return entries;
    }

    /** Where a queued entry stands and its version; null when it is not queued. */
    EntryPlace placeOf(QueueId queue, long id) {
        byte[] bytes = index.get(Bytes.wrap(QueueKeys.entry(queue, id)));
        return bytes == null ? null : EntryPlace.fromBytes(bytes);
    }

    Entry get(QueueId queue, long id, EntryPlace place) {
        return EntryCodec.decode(queue, entries.get(orderKey(queue, place.priority(), place.rankStamp(), id)));
    }

    /** Queues the entry (which must not be queued now) with the version the view holds for it. */
    void put(Entry entry, Long version) {
        QueueId queue = entry.queue();
        byte[] value = EntryCodec.encode(entry);
        entries.put(orderKey(queue, entry.priority(), entry.rankStamp(), entry.id()), value);
        index.put(Bytes.wrap(QueueKeys.entry(queue, entry.id())),
                new EntryPlace(entry.priority(), entry.rankStamp(), version).toBytes());
        index(entry, value, 1);
    }

    /** Takes a queued entry out of every store; returns it. */
    Entry remove(QueueId queue, long id, EntryPlace place) {
        byte[] value = entries.delete(orderKey(queue, place.priority(), place.rankStamp(), id));
        if (value == null) {
            throw new IllegalStateException("index names an entry the queue does not hold: " + queue + " id " + id);
        }
        Entry entry = EntryCodec.decode(queue, value);
        index.delete(Bytes.wrap(QueueKeys.entry(queue, id)));
        index(entry, null, -1);
        return entry;
    }

    void count(QueueId queue, UnaryOperator<QueueCounters> change) {
        Bytes key = Bytes.wrap(QueueKeys.queue(queue));
        counters.put(key, change.apply(QueueCounters.fromBytes(counters.get(key))).toBytes());
    }

    static Bytes orderKey(QueueId queue, int priority, long rankStamp, long id) {
        return Bytes.wrap(QueueKeys.order(queue, priority, rankStamp, id));
    }

    private static Bytes filterKey(Entry entry, FilterField field, String value) {
        return Bytes.wrap(QueueKeys.filterEntry(entry.queue(), field, value, entry.priority(), entry.rankStamp(),
                entry.id()));
    }

    /** Adds an entry (delta 1, with its value) to the derived stores, or takes it out (delta -1). */
    private void index(Entry entry, byte[] value, long delta) {
        for (FilterField field : FilterField.values()) {
            String fieldValue = field.of(entry);
            if (fieldValue == null || !field.indexed()) {
                continue;
            }
            if (delta > 0) {
                filterIndex.put(filterKey(entry, field, fieldValue), value);
            } else {
                filterIndex.delete(filterKey(entry, field, fieldValue));
            }
        }
        counts.add(entry, delta);
    }
}
