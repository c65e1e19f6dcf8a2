package io.queueview.store;

import io.queueview.queue.QueueId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The queues' wait statistics in the {@link QueueStores#WAITS} store, by record time (never this machine's clock, so
 * a replay or a restore gives the same figures): per queue and minute a {@link WaitMinute}, kept for 24 hours behind
 * the queue's newest minute, and per queued entry the record time of its first enqueue, until it leaves.
 * <p>
 * Keys: the queue key, then a kind byte — {@code 1} and the minute (epoch minutes, 8 bytes, sign-flipped
 * big-endian, so a queue's minutes are one range in time order), or {@code 2} and the entry id (8 bytes).
 */
public final class WaitHistory {

    /** Minutes kept behind a queue's newest: 24 hours. */
    public static final int MINUTES_KEPT = 24 * 60;
    private static final byte MINUTE = 1;
    private static final byte ENQUEUED = 2;

    private final KeyValueStore<Bytes, byte[]> store;
    /** Per queue, the newest minute whose older ones were dropped: a cache; empty after a restart, refilled alike. */
    private final Map<QueueId, Long> trimmedAt = new HashMap<>();

    public WaitHistory(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** A new entry in the queue (not one replacing a queued one): its first enqueue, and the queue's new depth. */
    public void enqueued(QueueId queue, long id, long at, long depth) {
        store.put(Bytes.wrap(entryKey(queue, id)), new ByteWriter(8).putLong(at).toBytes());
        changeMinute(queue, at, minute -> minute.withDepth(depth));
    }

    /**
     * A queued entry left the queue, the queue now this deep; when dispatched, its time in queue is counted in the
     * minute of its dispatch. Returns that time in milliseconds, or -1 when not dispatched or its enqueue was not
     * seen (queued before this version kept them).
     */
    public long removed(QueueId queue, long id, long at, boolean dispatched, long depth) {
        Bytes key = Bytes.wrap(entryKey(queue, id));
        byte[] enqueued = store.get(key);
        if (enqueued != null) {
            store.delete(key);
        }
        long wait = dispatched && enqueued != null ? Math.max(0, at - new ByteReader(enqueued, 0).getLong()) : -1;
        changeMinute(queue, at, minute -> (dispatched ? minute.plusDispatch(wait) : minute).withDepth(depth));
        return wait;
    }

    private void changeMinute(QueueId queue, long at, UnaryOperator<WaitMinute> change) {
        long minute = Math.floorDiv(at, 60_000L);
        Bytes key = Bytes.wrap(minuteKey(queue, minute));
        store.put(key, change.apply(WaitMinute.fromBytes(store.get(key))).toBytes());
        Long trimmed = trimmedAt.get(queue);
        if (trimmed == null || minute > trimmed) {
            trim(queue, minute);
            trimmedAt.put(queue, minute);
        }
    }

    /**
     * Drops the minutes older than 24 hours before this one — all but the newest of them, whose depth still stands
     * for the quiet minutes after it that are inside the 24 hours.
     */
    private void trim(QueueId queue, long newest) {
        List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> range = store.range(Bytes.wrap(minuteKey(queue, Long.MIN_VALUE)),
                Bytes.wrap(minuteKey(queue, newest - MINUTES_KEPT)))) {
            range.forEachRemaining(kv -> old.add(kv.key));
        }
        for (int i = 0; i < old.size() - 1; i++) {
            store.delete(old.get(i));
        }
    }

    /** A queue's minutes from the one at or before {@code from} (when kept) to {@code to}, oldest first. */
    public static List<KeyValue<Long, WaitMinute>> minutes(ReadOnlyKeyValueStore<Bytes, byte[]> store, QueueId queue,
                                                           long from, long to) {
        List<KeyValue<Long, WaitMinute>> minutes = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> before = store.reverseRange(Bytes.wrap(minuteKey(queue, Long.MIN_VALUE)),
                Bytes.wrap(minuteKey(queue, from)))) {
            if (before.hasNext()) { // the depth that stands at the start
                KeyValue<Bytes, byte[]> kv = before.next();
                minutes.add(KeyValue.pair(minuteOf(kv.key.get()), WaitMinute.fromBytes(kv.value)));
            }
        }
        if (from < to) {
            try (KeyValueIterator<Bytes, byte[]> range = store.range(Bytes.wrap(minuteKey(queue, from + 1)),
                    Bytes.wrap(minuteKey(queue, to)))) {
                range.forEachRemaining(kv -> minutes.add(KeyValue.pair(minuteOf(kv.key.get()),
                        WaitMinute.fromBytes(kv.value))));
            }
        }
        return minutes;
    }

    static byte[] minuteKey(QueueId queue, long minute) {
        byte[] prefix = QueueKeys.queue(queue);
        return new ByteWriter(prefix.length + 9).putBytes(prefix).putByte(MINUTE).putLong(minute ^ Long.MIN_VALUE)
                .toBytes();
    }

    private static long minuteOf(byte[] key) {
        return new ByteReader(key, key.length - 8).getLong() ^ Long.MIN_VALUE;
    }

    private static byte[] entryKey(QueueId queue, long id) {
        byte[] prefix = QueueKeys.queue(queue);
        return new ByteWriter(prefix.length + 9).putBytes(prefix).putByte(ENQUEUED).putLong(id).toBytes();
    }
}
