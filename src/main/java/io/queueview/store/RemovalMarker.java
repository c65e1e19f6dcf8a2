package io.queueview.store;

/**
 * What the view remembers of an entry removed by a versioned event, so that a late event with no greater
 * version cannot bring it back; forgotten at expiresAt (epoch ms, wall clock).
 */
public record RemovalMarker(long version, long expiresAt) {

    public byte[] toBytes() {
        return new ByteWriter(16).putLong(version).putLong(expiresAt).toBytes();
    }

    public static RemovalMarker fromBytes(byte[] bytes) {
        ByteReader reader = new ByteReader(bytes, 0);
        return new RemovalMarker(reader.getLong(), reader.getLong());
    }
}
