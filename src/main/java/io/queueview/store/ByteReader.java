package io.queueview.store;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote, in the same order. */
final class ByteReader {

    private final byte[] bytes;
    private int position;

    ByteReader(byte[] bytes, int position) {
        this.bytes = bytes;
        this.position = position;
    }

    int getByte() {
        return bytes[position++] & 0xFF;
    }

    int getShort() {
        return (getByte() << 8) | getByte();
    }

    int getInt() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | getByte();
        }
        return value;
    }

    long getLong() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | getByte();
        }
        return value;
    }

    String getString() {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            int b = getByte();
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    int position() {
        return position;
    }
}
