package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A queue's entries as slots: each field a {@link Column}, texts as codes of the partition's {@link TextCodes},
 * except workspace_id, which is nearly unique per entry (a code would hold a String of it as well): its bytes go to
 * a byte arena of the queue. An {@link Entry} is made when a read hands one out. A slot given back is reused.
 */
final class EntryTable {

    // the coded texts, by column
    static final int SOURCE = 0;
    static final int PROCESSOR_NAME = 1;
    static final int JOB_TYPE = 2;
    static final int DATA_ID = 3;
    static final int OUTPUT_TYPE = 4;
    static final int RESOURCE_SPEC = 5;
    static final int CLUSTER_TYPE = 6;
    static final int CLUSTER_ID = 7;
    private static final int CODED = 8;

    private static final int PRIORITY_BIAS = 64;
    private static final int HAS_PROCESSOR = 1 << 7;
    private static final int HAS_VERSION = 1 << 8;
    private static final int LIVE = 1 << 9;

    private final TextCodes codes;
    private final Column ids = new Column();
    private final Column jobIds = new Column();
    private final Column rankStamps = new Column();
    /** Priority (biased to be positive) and the flags above: 2 bytes. */
    private final Column priorityAndFlags = new Column();
    private final Column processorIds = new Column();
    private final Column versions = new Column();
    private final Column[] texts = new Column[CODED];
    /** Where a slot's workspace_id starts in the arena, plus one (0: none). */
    private final Column workspaces = new Column();
    private final TextArena arena = new TextArena();
    private int used;
    private int[] returned = new int[4];
    private int returnedCount;

    EntryTable(TextCodes codes) {
        this.codes = codes;
        for (int i = 0; i < CODED; i++) {
            texts[i] = new Column();
        }
    }

    TextCodes codes() {
        return codes;
    }

    /** Puts the entry into a free slot; returns the slot. */
    int add(QueuedEntry queued) {
        Entry e = queued.entry();
        int slot = returnedCount > 0 ? returned[--returnedCount] : used++;
        ids.set(slot, e.id());
        jobIds.set(slot, e.jobId());
        rankStamps.set(slot, e.rankStamp());
        int flags = LIVE;
        if (e.processorId() != null) {
            flags |= HAS_PROCESSOR;
            processorIds.set(slot, e.processorId());
        }
        if (queued.version() != null) {
            flags |= HAS_VERSION;
            versions.set(slot, queued.version());
        }
        priorityAndFlags.set(slot, (e.priority() + PRIORITY_BIAS) | flags);
        setCode(SOURCE, slot, e.source());
        setCode(PROCESSOR_NAME, slot, e.processorName());
        setCode(JOB_TYPE, slot, e.jobType());
        setCode(DATA_ID, slot, e.dataId());
        setCode(OUTPUT_TYPE, slot, e.outputType());
        setCode(RESOURCE_SPEC, slot, e.resourceSpec());
        setCode(CLUSTER_TYPE, slot, e.clusterType());
        setCode(CLUSTER_ID, slot, e.clusterId());
        workspaces.set(slot, e.workspaceId() == null ? 0 : arena.add(e.workspaceId()) + 1L);
        return slot;
    }

    private void setCode(int column, int slot, String text) {
        texts[column].set(slot, codes.acquire(text));
    }

    /** Gives the slot back, with its texts' codes and bytes. */
    void free(int slot) {
        for (int i = 0; i < CODED; i++) {
            codes.release(code(i, slot));
        }
        long workspace = workspaces.get(slot);
        if (workspace != 0) {
            arena.drop((int) (workspace - 1));
        }
        priorityAndFlags.set(slot, 0);
        if (returnedCount == returned.length) {
            returned = Arrays.copyOf(returned, returnedCount * 2);
        }
        returned[returnedCount++] = slot;
        if (arena.worthCompacting()) {
            compactArena();
        }
    }

    /** Copies the live texts to a new arena: the bytes of dropped ones go. */
    private void compactArena() {
        TextArena.Builder fresh = arena.rebuild();
        for (int slot = 0; slot < used; slot++) {
            if ((priorityAndFlags.get(slot) & LIVE) != 0) {
                long workspace = workspaces.get(slot);
                if (workspace != 0) {
                    workspaces.set(slot, fresh.copy((int) (workspace - 1)) + 1L);
                }
            }
        }
        fresh.done();
    }

    long id(int slot) {
        return ids.get(slot);
    }

    long jobId(int slot) {
        return jobIds.get(slot);
    }

    long rankStamp(int slot) {
        return rankStamps.get(slot);
    }

    int priority(int slot) {
        return (int) (priorityAndFlags.get(slot) & 0x7F) - PRIORITY_BIAS;
    }

    /** The slot's place against a place (priority, rank_stamp, id), in queue order. */
    int compare(int slot, int priority, long rankStamp, long id) {
        int p = priority(slot);
        if (p != priority) {
            return p > priority ? -1 : 1;
        }
        long r = rankStamps.get(slot);
        if (r != rankStamp) {
            return r < rankStamp ? -1 : 1;
        }
        return Long.compare(ids.get(slot), id);
    }

    int compare(int slot, int other) {
        return compare(slot, priority(other), rankStamps.get(other), ids.get(other));
    }

    /** The code of a coded text column. */
    int code(int column, int slot) {
        return (int) texts[column].get(slot);
    }

    Entry entry(QueueId queue, int slot) {
        long flags = priorityAndFlags.get(slot);
        long workspace = workspaces.get(slot);
        return new Entry(queue, ids.get(slot), jobIds.get(slot), (int) (flags & 0x7F) - PRIORITY_BIAS,
                rankStamps.get(slot), (flags & HAS_PROCESSOR) != 0 ? processorIds.get(slot) : null,
                text(SOURCE, slot), text(PROCESSOR_NAME, slot), text(JOB_TYPE, slot), text(DATA_ID, slot),
                text(OUTPUT_TYPE, slot), text(RESOURCE_SPEC, slot),
                workspace == 0 ? null : arena.text((int) (workspace - 1)), text(CLUSTER_TYPE, slot),
                text(CLUSTER_ID, slot));
    }

    QueuedEntry queued(QueueId queue, int slot) {
        long flags = priorityAndFlags.get(slot);
        return new QueuedEntry(entry(queue, slot), (flags & HAS_VERSION) != 0 ? versions.get(slot) : null);
    }

    private String text(int column, int slot) {
        return codes.text(code(column, slot));
    }

    /**
     * Texts as bytes (UTF-8, after a 2-byte length) in pages of 16 KiB, addressed by page and place in one int;
     * a dropped text's bytes stay until the arena is compacted (when they are over half of it).
     */
    static final class TextArena {
        private static final int PAGE_BITS = 14;
        private static final int PAGE = 1 << PAGE_BITS;
        /** Longer texts are held as Strings beside the pages, at negative places. */
        private static final int LONGEST = 4096;

        private byte[][] pages = new byte[0][];
        private int page = -1;
        private int end = PAGE;
        private long live;
        private long dropped;
        private String[] longTexts = new String[0];
        private int longCount;

        int add(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > LONGEST) {
                for (int i = 0; i < longCount; i++) {
                    if (longTexts[i] == null) {
                        longTexts[i] = text;
                        return -i - 2;
                    }
                }
                if (longCount == longTexts.length) {
                    longTexts = Arrays.copyOf(longTexts, Math.max(4, longCount * 2));
                }
                longTexts[longCount] = text;
                return -(longCount++) - 2;
            }
            int length = bytes.length + 2;
            byte[] at = room(length);
            at[end] = (byte) (bytes.length >>> 8);
            at[end + 1] = (byte) bytes.length;
            System.arraycopy(bytes, 0, at, end + 2, bytes.length);
            int place = (page << PAGE_BITS) | end;
            end += length;
            live += length;
            return place;
        }

        /** A page with room for length bytes at end: the current one, grown while it is the first, or a new one. */
        private byte[] room(int length) {
            if (page >= 0 && end + length <= pages[page].length) {
                return pages[page];
            }
            if (page == 0 && pages[0].length < PAGE) {
                pages[0] = Arrays.copyOf(pages[0], Math.min(PAGE, Math.max(pages[0].length * 2, end + length)));
                return pages[0];
            }
            page++;
            if (page == pages.length) {
                pages = Arrays.copyOf(pages, Math.max(1, pages.length * 2));
            }
            pages[page] = new byte[page == 0 ? Math.max(256, length) : PAGE];
            end = 0;
            return pages[page];
        }

        String text(int place) {
            if (place < -1) {
                return longTexts[-place - 2];
            }
            byte[] at = pages[place >>> PAGE_BITS];
            int from = place & (PAGE - 1);
            int length = ((at[from] & 0xFF) << 8) | (at[from + 1] & 0xFF);
            return new String(at, from + 2, length, StandardCharsets.UTF_8);
        }

        void drop(int place) {
            if (place < -1) {
                longTexts[-place - 2] = null;
                return;
            }
            byte[] at = pages[place >>> PAGE_BITS];
            int from = place & (PAGE - 1);
            int length = (((at[from] & 0xFF) << 8) | (at[from + 1] & 0xFF)) + 2;
            live -= length;
            dropped += length;
        }

        boolean worthCompacting() {
            return dropped > 1 << 20 && dropped > live;
        }

        /** A new arena to copy the live texts into, which then replaces this one's pages. */
        Builder rebuild() {
            return new Builder();
        }

        final class Builder {
            private final TextArena fresh = new TextArena();

            int copy(int place) {
                if (place < -1) {
                    return place; // held beside the pages: stays
                }
                return fresh.add(text(place));
            }

            void done() {
                pages = fresh.pages;
                page = fresh.page;
                end = fresh.end;
                live = fresh.live;
                dropped = 0;
            }
        }
    }
}
