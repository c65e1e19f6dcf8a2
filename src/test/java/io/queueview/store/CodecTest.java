package io.queueview.store;

import static io.queueview.testing.CodecSamples.BARE;
import static io.queueview.testing.CodecSamples.FULL;
import static io.queueview.testing.CodecSamples.QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.queue.Entry;
import org.junit.jupiter.api.Test;

class CodecTest {

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
