package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;

/**
 * The compact binary value of an entry: fixed fields, then a bit set of the optional fields present and those
 * fields. The queue is not stored — it is the key's prefix.
 */
public final class EntryCodec {

    private static final int FORMAT = 1;

    private EntryCodec() {
    }

    public static byte[] encode(Entry entry) {
        ByteWriter writer = new ByteWriter(64);
        write(writer, entry);
        return writer.toBytes();
    }

    public static Entry decode(QueueId queue, byte[] bytes) {
        return read(new ByteReader(bytes, 0), queue);
    }

    public static void write(ByteWriter writer, Entry entry) {
        String[] texts = texts(entry);
        int present = entry.processorId() != null ? 1 : 0;
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] != null) {
                present |= 1 << (i + 1);
            }
        }
        writer.putByte(FORMAT).putLong(entry.id()).putLong(entry.jobId()).putInt(entry.priority())
                .putLong(entry.rankStamp()).putShort(present);
        if (entry.processorId() != null) {
            writer.putLong(entry.processorId());
        }
        for (String text : texts) {
            if (text != null) {
                writer.putString(text);
            }
        }
    }

    public static Entry read(ByteReader reader, QueueId queue) {
        int format = reader.getByte();
        if (format != FORMAT) {
            throw new IllegalStateException("unknown entry format " + format);
        }
        long id = reader.getLong();
        long jobId = reader.getLong();
        int priority = reader.getInt();
        long rankStamp = reader.getLong();
        int present = reader.getShort();
        Long processorId = (present & 1) != 0 ? reader.getLong() : null;
        String[] texts = new String[9];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = (present & (1 << (i + 1))) != 0 ? reader.getString() : null;
        }
        return new Entry(queue, id, jobId, priority, rankStamp, processorId,
                texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], texts[7], texts[8]);
    }

    // The order of the optional text fields in the bit set; append new fields at the end only.
    private static String[] texts(Entry e) {
        return new String[] {e.source(), e.processorName(), e.jobType(), e.dataId(), e.outputType(),
                e.resourceSpec(), e.workspaceId(), e.clusterType(), e.clusterId()};
    }
}
