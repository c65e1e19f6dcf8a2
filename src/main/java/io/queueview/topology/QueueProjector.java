package io.queueview.topology;

import io.queueview.event.JobDequeued;
import io.queueview.event.JobEnqueued;
import io.queueview.event.JobUpdated;
import io.queueview.event.QueueEvent;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.EntryCodec;
import io.queueview.store.EntryPlace;
import io.queueview.store.EventCodec;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import io.queueview.store.RemovalMarker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds the events of the queues of one partition into the stores (EVENTS.md rules 1–4) and publishes every
 * applied change on queue-changes. Input: the repartition topic, keyed by queue, values in {@link EventCodec}.
 */
final class QueueProjector implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final Duration markerTtl;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Bytes, byte[]> entries;
    private KeyValueStore<Bytes, byte[]> index;
    private KeyValueStore<Bytes, byte[]> markers;
    private KeyValueStore<Bytes, byte[]> counters;

    QueueProjector(Duration markerTtl) {
        this.markerTtl = markerTtl;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        entries = context.getStateStore(QueueStores.ENTRIES);
        index = context.getStateStore(QueueStores.INDEX);
        markers = context.getStateStore(QueueStores.MARKERS);
        counters = context.getStateStore(QueueStores.COUNTERS);
        Duration sweep = markerTtl.compareTo(LONGEST_SWEEP_INTERVAL) < 0 ? markerTtl : LONGEST_SWEEP_INTERVAL;
        context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, this::forgetExpiredMarkers);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        QueueEvent event = EventCodec.decode(record.value());
        Bytes entryKey = Bytes.wrap(QueueKeys.entry(event.queue(), event.id()));
        byte[] placeBytes = index.get(entryKey);
        EntryPlace place = placeBytes == null ? null : EntryPlace.fromBytes(placeBytes);
        if (isStale(event, entryKey, place)) {
            count(event.queue(), QueueCounters::plusStaleEvent);
        } else if (event instanceof JobEnqueued enqueued) {
            if (place != null) {
                remove(event.queue(), event.id(), place);
            } else {
                count(event.queue(), c -> c.plusEntries(1));
            }
            markers.delete(entryKey); // a new stay in the queue
            put(enqueued.entry(), event.version() != null ? event.version() : versionOf(place));
            publish(record, ChangeJson.upsert(enqueued.entry(), event.version()));
        } else if (event instanceof JobUpdated updated) {
            if (place == null) {
                count(event.queue(), QueueCounters::plusUnknownUpdate);
                return;
            }
            Entry changed = updated.applyTo(remove(event.queue(), event.id(), place));
            put(changed, event.version() != null ? event.version() : place.version());
            publish(record, ChangeJson.upsert(changed, event.version()));
        } else {
            JobDequeued dequeued = (JobDequeued) event;
            if (event.version() != null) {
                long expiresAt = context.currentSystemTimeMs() + markerTtl.toMillis();
                markers.put(entryKey, new RemovalMarker(event.version(), expiresAt).toBytes());
            }
            if (place != null) {
                remove(event.queue(), event.id(), place);
                index.delete(entryKey);
                count(event.queue(), c -> c.plusEntries(-1));
                publish(record, ChangeJson.removal(dequeued));
            }
        }
    }

    /** Rule 2 and 3: a versioned event applies only over a smaller recorded version, queued or removed. */
    private boolean isStale(QueueEvent event, Bytes entryKey, EntryPlace place) {
        if (event.version() == null) {
            return false;
        }
        Long recorded = versionOf(place);
        if (recorded == null) {
            byte[] marker = markers.get(entryKey);
            recorded = marker == null ? null : RemovalMarker.fromBytes(marker).version();
        }
        return recorded != null && event.version() <= recorded;
    }

    private static Long versionOf(EntryPlace place) {
        return place == null ? null : place.version();
    }

    private Entry remove(QueueId queue, long id, EntryPlace place) {
        Bytes orderKey = Bytes.wrap(QueueKeys.order(queue, place.priority(), place.rankStamp(), id));
        byte[] value = entries.delete(orderKey);
        if (value == null) {
            throw new IllegalStateException("index names an entry the queue does not hold: " + queue + " id " + id);
        }
        return EntryCodec.decode(queue, value);
    }

    private void put(Entry entry, Long version) {
        entries.put(Bytes.wrap(QueueKeys.order(entry.queue(), entry.priority(), entry.rankStamp(), entry.id())),
                EntryCodec.encode(entry));
        index.put(Bytes.wrap(QueueKeys.entry(entry.queue(), entry.id())),
                new EntryPlace(entry.priority(), entry.rankStamp(), version).toBytes());
    }

    private void count(QueueId queue, UnaryOperator<QueueCounters> change) {
        Bytes key = Bytes.wrap(QueueKeys.queue(queue));
        counters.put(key, change.apply(QueueCounters.fromBytes(counters.get(key))).toBytes());
    }

    private void publish(Record<byte[], byte[]> cause, ChangeJson change) {
        context.forward(cause.withKey(change.key()).withValue(change.value()));
    }

    private void forgetExpiredMarkers(long now) {
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = markers.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> marker = all.next();
                if (RemovalMarker.fromBytes(marker.value).expiresAt() <= now) {
                    expired.add(marker.key);
                }
            }
        }
        expired.forEach(markers::delete);
    }
}
