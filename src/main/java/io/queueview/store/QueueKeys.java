package io.queueview.store;

import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.nio.charset.StandardCharsets;

/**
 * Store keys whose unsigned byte order is the order we need. Every key starts with the queue's prefix
 * (project id length, project id, queue type), so one queue is one contiguous range. An entry's order key then
 * adds priority (descending), rank_stamp and id (ascending): RocksDB's key order IS the queue order.
 */
public final class QueueKeys {

    private static final int ORDER_SUFFIX = 4 + 8 + 8;

    private QueueKeys() {
    }

    /** The queue alone: the key of its counters, the prefix of its entries, and the repartition topic's key. */
    public static byte[] queue(QueueId queue) {
        return prefix(queue, 0).toBytes();
    }

    public static QueueId queueOf(byte[] key) {
        ByteReader reader = new ByteReader(key, 0);
        int length = reader.getShort();
        String projectId = new String(key, 2, length, StandardCharsets.UTF_8);
        return new QueueId(projectId, QueueType.ofCode(key[2 + length]));
    }

    /** Where an entry stands in its queue. */
    public static byte[] order(QueueId queue, int priority, long rankStamp, long id) {
        return orderSuffix(prefix(queue, ORDER_SUFFIX), priority, rankStamp, id).toBytes();
    }

    private static ByteWriter orderSuffix(ByteWriter writer, int priority, long rankStamp, long id) {
        return writer
                .putInt(~priority ^ Integer.MIN_VALUE) // descending: a higher priority gives smaller bytes
                .putLong(rankStamp ^ Long.MIN_VALUE)  // sign flip: unsigned byte order = signed number order
                .putLong(id ^ Long.MIN_VALUE);
    }

    /** Greater than or equal to every order key of the queue: the inclusive end of its range. */
    public static byte[] lastOrder(QueueId queue) {
        ByteWriter writer = prefix(queue, ORDER_SUFFIX);
        for (int i = 0; i < ORDER_SUFFIX; i++) {
            writer.putByte(0xFF);
        }
        return writer.toBytes();
    }

    /**
     * The key range of one value of a filter field in a queue's secondary index: queue, field code, value
     * (length and UTF-8). Length-prefixed, so no value's range holds another's.
     */
    public static byte[] filter(QueueId queue, FilterField field, String value) {
        return filterPrefix(queue, field, value, 0).toBytes();
    }

    /** An entry in the secondary index of one of its field values: the filter range, then its order suffix. */
    public static byte[] filterEntry(QueueId queue, FilterField field, String value, int priority, long rankStamp,
                                     long id) {
        return orderSuffix(filterPrefix(queue, field, value, ORDER_SUFFIX), priority, rankStamp, id).toBytes();
    }

    private static ByteWriter filterPrefix(QueueId queue, FilterField field, String value, int extra) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return prefix(queue, 1 + 2 + utf8.length + extra).putByte(field.code()).putShort(utf8.length).putBytes(utf8);
    }

    /** Width of a rank_stamp block in the counts ({@link QueueCountsStore}): 2^16 ms, about a minute of enqueues. */
    public static final int BLOCK_BITS = 16;

    /** An entry by its id, for the index and the removal markers. */
    public static byte[] entry(QueueId queue, long id) {
        return prefix(queue, 8).putLong(id ^ Long.MIN_VALUE).toBytes();
    }

    private static ByteWriter prefix(QueueId queue, int extra) {
        byte[] projectId = queue.projectId().getBytes(StandardCharsets.UTF_8);
        return new ByteWriter(2 + projectId.length + 1 + extra)
                .putShort(projectId.length)
                .putBytes(projectId)
                .putByte(queue.type().code());
    }
}
