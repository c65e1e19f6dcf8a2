package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.EntryCodec;
import io.queueview.store.EntryPlace;
import io.queueview.store.FilterField;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueKeys;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers list and position calls from the local stores, walking only what the answer needs: a queue's entries
 * are one key range in queue order; a filtered page walks the secondary index of its most selective indexed
 * filter (entries in queue order, values included), or the queue itself when it filters only by common values;
 * totals are counts kept by the projector where one filter is counted; an offset or a position skips whole
 * priorities and rank_stamp blocks by their counts and walks at most one block.
 */
public final class QueueReader {

    private final LocalStores stores;

    public QueueReader(LocalStores stores) {
        this.stores = stores;
    }

    public boolean ready() {
        return stores.ready();
    }

    /** @throws QueueUnavailable when this instance cannot answer for the queue now */
    public Page list(ListQuery query) {
        QueuePartition partition = stores.partitionOf(query.queue());
        Map<FilterField, String> filters = query.filters().byField();
        try {
            return filters.isEmpty() ? wholeQueuePage(partition, query) : filteredPage(partition, query, filters);
        } catch (InvalidStateStoreException e) {
            throw movedAway(query.queue(), e);
        }
    }

    /** A store closed under a read: its partition is moving (a rebalance). */
    private static QueueUnavailable movedAway(QueueId queue, InvalidStateStoreException e) {
        return new QueueUnavailable("the stores of queue " + queue + " are moving (" + e.getMessage()
                + "); retry shortly");
    }

    private Page wholeQueuePage(QueuePartition partition, ListQuery query) {
        QueueId queue = query.queue();
        long total = QueueCounters.fromBytes(partition.counters().get(Bytes.wrap(QueueKeys.queue(queue)))).entries();
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), 64));
        if (query.offset() < total) {
            Skip skip = skip(partition, queue, query.offset());
            try (KeyValueIterator<Bytes, byte[]> scan = partition.entries().range(skip.from(),
                    Bytes.wrap(QueueKeys.lastOrder(queue)))) {
                for (long skipped = 0; skipped < skip.remaining() && scan.hasNext(); skipped++) {
                    scan.next();
                }
                while (page.size() < query.limit() && scan.hasNext()) {
                    page.add(EntryCodec.decode(queue, scan.next().value));
                }
            }
        }
        return new Page(List.copyOf(page), total, query.offset(), query.limit());
    }

    private Page filteredPage(QueuePartition partition, ListQuery query, Map<FilterField, String> filters) {
        QueueId queue = query.queue();
        FilterField driving = null; // the most selective indexed filter: its index is what the page walks
        long drivingCount = Long.MAX_VALUE;
        for (Map.Entry<FilterField, String> filter : filters.entrySet()) {
            FilterField field = filter.getKey();
            if (field.indexed()) {
                long count = field.counted() ? partition.counts().count(queue, field, filter.getValue()) : 0;
                if (count < drivingCount) {
                    drivingCount = count;
                    driving = field;
                }
            }
        }
        Long total = null; // read when one filter or a pair is counted, else counted while walking
        Iterator<Map.Entry<FilterField, String>> given = filters.entrySet().iterator();
        Map.Entry<FilterField, String> first = given.next();
        Map.Entry<FilterField, String> second = given.hasNext() ? given.next() : null;
        if (filters.size() == 1 && first.getKey().counted()) {
            total = driving != null ? drivingCount : partition.counts().count(queue, first.getKey(), first.getValue());
        } else if (filters.size() == 2 && first.getKey().countedWith(second.getKey())) {
            total = partition.counts().count(queue, first.getKey(), first.getValue(), second.getKey(), second.getValue());
        }
        if (total != null && query.offset() >= total) {
            return new Page(List.of(), total, query.offset(), query.limit()); // nothing to walk
        }
        boolean everyOneMatches = filters.size() == 1 && driving != null;
        long end = (long) query.offset() + query.limit();
        long matched = 0;
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), 64));
        try (KeyValueIterator<Bytes, byte[]> scan = driving != null
                ? scan(partition.filterIndex(), QueueKeys.filter(queue, driving, filters.get(driving)))
                : scan(partition.entries(), QueueKeys.queue(queue))) {
            while (scan.hasNext() && (total == null || matched < Math.min(end, total))) {
                KeyValue<Bytes, byte[]> next = scan.next();
                if (everyOneMatches && matched < query.offset()) {
                    matched++; // skipped without decoding
                    continue;
                }
                Entry entry = EntryCodec.decode(queue, next.value);
                if (!everyOneMatches && !query.filters().matches(entry)) {
                    continue;
                }
                if (matched >= query.offset() && matched < end) {
                    page.add(entry);
                }
                matched++;
            }
        }
        return new Page(List.copyOf(page), total != null ? total : matched, query.offset(), query.limit());
    }

    /**
     * One entry with its position, or empty when it is not queued there.
     *
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public Optional<EntryPosition> entry(QueueId queue, long id) {
        QueuePartition partition = stores.partitionOf(queue);
        try {
            return entry(partition, queue, id);
        } catch (InvalidStateStoreException e) {
            throw movedAway(queue, e);
        }
    }

    private static Optional<EntryPosition> entry(QueuePartition partition, QueueId queue, long id) {
        byte[] placeBytes = partition.index().get(Bytes.wrap(QueueKeys.entry(queue, id)));
        if (placeBytes == null) {
            return Optional.empty();
        }
        EntryPlace place = EntryPlace.fromBytes(placeBytes);
        Bytes key = Bytes.wrap(QueueKeys.order(queue, place.priority(), place.rankStamp(), id));
        byte[] value = partition.entries().get(key);
        if (value == null) {
            return Optional.empty(); // between the two reads the entry left or moved: as good as not found now
        }
        long ahead = partition.counts().aheadOfBlock(queue, place.priority(), place.rankStamp());
        Bytes blockStart = Bytes.wrap(QueueKeys.order(queue, place.priority(), blockStart(place.rankStamp()), Long.MIN_VALUE));
        try (KeyValueIterator<Bytes, byte[]> scan = partition.entries().range(blockStart, key)) {
            while (scan.hasNext()) {
                if (!scan.next().key.equals(key)) {
                    ahead++;
                }
            }
        }
        long total = QueueCounters.fromBytes(partition.counters().get(Bytes.wrap(QueueKeys.queue(queue)))).entries();
        return Optional.of(new EntryPosition(EntryCodec.decode(queue, value), ahead + 1, total));
    }

    /** Where to start walking to skip offset entries, and how many are left to walk past from there. */
    private record Skip(Bytes from, long remaining) {
    }

    private static Skip skip(QueuePartition partition, QueueId queue, long offset) {
        if (offset == 0) {
            return new Skip(Bytes.wrap(QueueKeys.queue(queue)), 0);
        }
        return partition.counts().spotOf(queue, offset)
                .map(spot -> new Skip(Bytes.wrap(QueueKeys.order(queue, spot.priority(), spot.blockStart(),
                        Long.MIN_VALUE)), spot.withinBlock()))
                .orElseGet(() -> new Skip(Bytes.wrap(QueueKeys.lastOrder(queue)), 0));
    }

    private static long blockStart(long rankStamp) {
        return (rankStamp >> QueueKeys.BLOCK_BITS) << QueueKeys.BLOCK_BITS;
    }

    private static KeyValueIterator<Bytes, byte[]> scan(ReadOnlyKeyValueStore<Bytes, byte[]> store, byte[] prefix) {
        return store.prefixScan(Bytes.wrap(prefix), Serdes.Bytes().serializer());
    }
}
