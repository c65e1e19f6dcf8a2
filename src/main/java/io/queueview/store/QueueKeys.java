package io.queueview.store;

import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Store keys. Every key starts with the queue's prefix (project id length, project id, queue type), so one queue
 * is one contiguous range; an entry's key then adds its id.
 */
public final class QueueKeys {

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

    /** Whether two keys start with the same queue's prefix (keys in store order: the same queue as the last one). */
    public static boolean sameQueue(byte[] key, byte[] other) {
        int length = 2 + ((key[0] & 0xff) << 8 | (key[1] & 0xff)) + 1;
        return other.length >= length && key.length >= length
                && Arrays.equals(key, 0, length, other, 0, length);
    }

    /** An entry by its id, for the entries and the removal markers. */
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
