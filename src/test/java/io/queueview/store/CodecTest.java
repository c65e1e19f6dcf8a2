package io.queueview.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import org.junit.jupiter.api.Test;

class CodecTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final Entry FULL = new Entry(QUEUE, -5, 42, -50, Long.MIN_VALUE, 9L, "UI", "lane-detect",
            "SCENARIO_AUTO_MINING", "DPK0000001", "DATA_MARK", "1Core_4GiB", "ws-1", "MODELARTS", "c-1");
    private static final Entry BARE = new Entry(QUEUE, Long.MAX_VALUE, 1, 50, 0, null, null, null, null, null,
            null, null, null, null, null);

    @Test
    void entryWithEveryFieldReadsBackEqual() {
        assertEquals(FULL, EntryCodec.decode(QUEUE, EntryCodec.encode(FULL)));
    }

    @Test
    void entryWithoutOptionalFieldsReadsBackEqual() {
        assertEquals(BARE, EntryCodec.decode(QUEUE, EntryCodec.encode(BARE)));
    }

    @Test
    void entryKeepsLongAndNonAsciiText() {
        Entry text = FULL.withResources("规格".repeat(500), "NEW_CLUSTER_KIND", "");
        assertEquals(text, EntryCodec.decode(QUEUE, EntryCodec.encode(text)));
    }

    @Test
    void queuedEntriesMarkersAndCountersReadBackEqual() {
        for (QueuedEntry queued : new QueuedEntry[] {new QueuedEntry(FULL, null), new QueuedEntry(BARE, Long.MIN_VALUE),
            new QueuedEntry(FULL, 7L)}) {
            assertEquals(queued, QueuedEntry.fromBytes(QUEUE, queued.toBytes()));
        }
        assertEquals(new RemovalMarker(8, 9), RemovalMarker.fromBytes(new RemovalMarker(8, 9).toBytes()));
        assertEquals(new QueueCounters(2, 3), QueueCounters.fromBytes(new QueueCounters(2, 3).toBytes()));
    }
}
