package io.queueview.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends big-endian fixed-width numbers and length-prefixed strings to a growing byte array. */
public final class ByteWriter {

    private byte[] bytes;
    private int size;

    public ByteWriter(int capacity) {
        bytes = new byte[capacity];
    }

    public ByteWriter putByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public ByteWriter putShort(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    public ByteWriter putInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public ByteWriter putLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    public ByteWriter putBytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
        return this;
    }

    /** A string as its UTF-8 length (variable-length int) and bytes. */
    public ByteWriter putString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return putVarInt(utf8.length).putBytes(utf8);
    }

    /** A non-negative int in 1 byte up to 127, 2 up to 16,383, and so on: 7 bits a byte, low bits first. */
    public ByteWriter putVarInt(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a variable-length int is never negative: " + value);
        }
        int rest = value;
        while ((rest & ~0x7F) != 0) {
            putByte((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        return putByte(rest);
    }

    public byte[] toBytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
