package io.queueview.store;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A code per distinct text value of the entries in memory (names, types, data ids, cluster ids repeat across
 * thousands of entries): an entry holds codes, 2 or 4 bytes each, and the text is held once. Shared by the queues of
 * a partition, counted by use, so a value no entry holds any more gives its code back.
 * <p>
 * Written by the partition's stream thread only; read by queries on any thread under one queue's read lock. A code
 * an entry of that queue holds cannot be given back while the lock is held, so its text stays put; the text array
 * is replaced (volatile), never resized in place, and a text is looked up in a concurrent map.
 */
final class TextCodes {

    /** The code of "no value". */
    static final int NONE = 0;
    /** What {@link #code} answers for a text no entry holds. */
    static final int UNKNOWN = -1;

    private final ConcurrentHashMap<String, Integer> codes = new ConcurrentHashMap<>();
    private volatile String[] texts = new String[16];
    private int[] uses = new int[16];
    private int[] returned = new int[8];
    private int returnedCount;
    private int next = 1;

    /** The text's code, counted as one more use (NONE for null); the stream thread. */
    int acquire(String text) {
        if (text == null) {
            return NONE;
        }
        Integer known = codes.get(text);
        if (known != null) {
            uses[known]++;
            return known;
        }
        int code = returnedCount > 0 ? returned[--returnedCount] : next++;
        String[] held = texts;
        if (code >= held.length) {
            held = Arrays.copyOf(held, held.length * 2);
            uses = Arrays.copyOf(uses, held.length);
        }
        held[code] = text;
        texts = held; // publishes the text before any entry holding its code is
        uses[code] = 1;
        codes.put(text, code);
        return code;
    }

    /** One use of the code less; the stream thread. */
    void release(int code) {
        if (code == NONE) {
            return;
        }
        if (--uses[code] == 0) {
            codes.remove(texts[code]);
            texts[code] = null;
            if (returnedCount == returned.length) {
                returned = Arrays.copyOf(returned, returnedCount * 2);
            }
            returned[returnedCount++] = code;
        }
    }

    String text(int code) {
        return code == NONE ? null : texts[code];
    }

    /** The code of a text some entry holds; UNKNOWN when none does (so none matches it). */
    int code(String text) {
        Integer code = codes.get(text);
        return code == null ? UNKNOWN : code;
    }
}
