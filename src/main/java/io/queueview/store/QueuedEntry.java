package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;

/**
 * A queued entry with the version the view holds for it (null when its events carry none): the value of the
 * entries store, keyed by queue and id, and what the view keeps in memory.
 */
public record QueuedEntry(Entry entry, Long version) {

    public byte[] toBytes() {
        ByteWriter writer = new ByteWriter(80);
        if (version == null) {
            writer.putByte(0);
        } else {
            writer.putByte(1).putLong(version);
        }
        EntryCodec.write(writer, entry);
        return writer.toBytes();
    }

    /** The queue is not stored: it is the key's prefix. */
    public static QueuedEntry fromBytes(QueueId queue, byte[] bytes) {
        ByteReader reader = new ByteReader(bytes, 0);
        Long version = reader.getByte() == 1 ? reader.getLong() : null;
        return new QueuedEntry(EntryCodec.read(reader, queue), version);
    }
}
