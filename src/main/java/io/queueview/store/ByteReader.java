package io.queueview.store;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote, in the same order. */
public final class ByteReader {

    private final byte[] bytes;
    private int position;

    public ByteReader(byte[] bytes, int position) {
        this.bytes = bytes;
        this.position = position;
    }

    public int getByte() {
        return bytes[position++] & 0xFF;
    }

    public int getShort() {
        return (getByte() << 8) | getByte();
    }

    public int getInt() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | getByte();
        }
        return value;
    }

    public long getLong() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | getByte();
        }
        return value;
    }

    public String getString() {
        int length = getVarInt();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** What {@link ByteWriter#putVarInt} wrote. */
    public int getVarInt() {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            int b = getByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    public int position() {
        return position;
    }
}
