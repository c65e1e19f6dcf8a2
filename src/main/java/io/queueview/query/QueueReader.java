package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.EntryPlace;
import io.queueview.store.EntryCodec;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Answers list calls from the local stores. The entries of a queue are one key range already in queue order,
 * so a page is a prefix scan from the head; the unfiltered total is the queue's counter, a filtered total is
 * counted while scanning.
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
        Bytes queueKey = Bytes.wrap(QueueKeys.queue(query.queue()));
        boolean unfiltered = query.filters().none();
        long end = (long) query.offset() + query.limit();
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), 64));
        long matched = 0;
        try (KeyValueIterator<Bytes, byte[]> scan = partition.entries().prefixScan(queueKey, Serdes.Bytes().serializer())) {
            while (scan.hasNext()) {
                KeyValue<Bytes, byte[]> next = scan.next();
                if (unfiltered && matched < query.offset()) {
                    matched++; // skipped without decoding
                    continue;
                }
                Entry entry = EntryCodec.decode(query.queue(), next.value);
                if (!query.filters().matches(entry)) {
                    continue;
                }
                if (matched >= query.offset() && matched < end) {
                    page.add(entry);
                }
                matched++;
                if (unfiltered && matched >= end) {
                    break; // the total comes from the counter
                }
            }
        }
        long total = unfiltered ? QueueCounters.fromBytes(partition.counters().get(queueKey)).entries() : matched;
        return new Page(List.copyOf(page), total, query.offset(), query.limit());
    }

    /**
     * One entry with its position, or empty when it is not queued there. The position is counted by walking
     * the keys ahead of the entry (no values are read).
     *
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public Optional<EntryPosition> entry(QueueId queue, long id) {
        QueuePartition partition = stores.partitionOf(queue);
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
        long ahead = 0;
        try (KeyValueIterator<Bytes, byte[]> scan = partition.entries().range(Bytes.wrap(QueueKeys.queue(queue)), key)) {
            while (scan.hasNext()) {
                if (!scan.next().key.equals(key)) {
                    ahead++;
                }
            }
        }
        Bytes queueKey = Bytes.wrap(QueueKeys.queue(queue));
        long total = QueueCounters.fromBytes(partition.counters().get(queueKey)).entries();
        return Optional.of(new EntryPosition(EntryCodec.decode(queue, value), ahead + 1, total));
    }
}
