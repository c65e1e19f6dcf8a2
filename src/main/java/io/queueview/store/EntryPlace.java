package io.queueview.store;

/**
 * The index's value for a queued entry: where it stands (its order key's priority and rank_stamp) and the
 * version the view holds (null when its events carry none). Lets an update or removal find the entry without
 * a scan.
 */
public record EntryPlace(int priority, long rankStamp, Long version) {

    public byte[] toBytes() {
        ByteWriter writer = new ByteWriter(21).putInt(priority).putLong(rankStamp);
        return (version == null ? writer.putByte(0) : writer.putByte(1).putLong(version)).toBytes();
    }

    public static EntryPlace fromBytes(byte[] bytes) {
        ByteReader reader = new ByteReader(bytes, 0);
        int priority = reader.getInt();
        long rankStamp = reader.getLong();
        Long version = reader.getByte() == 1 ? reader.getLong() : null;
        return new EntryPlace(priority, rankStamp, version);
    }
}
