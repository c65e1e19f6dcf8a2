package io.queueview.store;

/** A count in the counts store: 8 bytes, big-endian; absent means 0. */
public final class QueueCounts {

    private QueueCounts() {
    }

    public static long read(byte[] bytes) {
        return bytes == null ? 0 : new ByteReader(bytes, 0).getLong();
    }

    public static byte[] write(long count) {
        return new ByteWriter(8).putLong(count).toBytes();
    }
}
