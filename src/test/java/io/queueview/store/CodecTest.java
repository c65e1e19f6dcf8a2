package io.queueview.store;

import static io.queueview.testing.CodecSamples.BARE;
import static io.queueview.testing.CodecSamples.FULL;
import static io.queueview.testing.CodecSamples.QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void countersWithDispatchesReadBackEqual() {
        Dispatches dispatches = Dispatches.watchedFrom(1_000).plus(5_000).plus(5_001).plus(61_000).plus(4_000);
        QueueCounters counters = new QueueCounters(2, 3, dispatches);
        assertEquals(counters, QueueCounters.fromBytes(counters.toBytes()));
        QueueCounters watched = new QueueCounters(0, 0, Dispatches.watchedFrom(-7));
        assertEquals(watched, QueueCounters.fromBytes(watched.toBytes()));
    }

    @Test
    void dispatchesWithTheirDetailReadBackEqual() {
        Dispatches dispatches = Dispatches.watchedFrom(1_000).plus(5_000, "CCE\u0000c1").plus(6_000)
                .plusArrivalAhead(7_000, 3).plusArrivalAhead(70_000, 1_500).plusDeparture(71_000, 40)
                .plus(130_000, "MODELARTS\u0000m");
        QueueCounters counters = new QueueCounters(2, 3, dispatches);
        assertEquals(counters, QueueCounters.fromBytes(counters.toBytes()));
    }

    @Test
    void dispatchesWrittenBeforeTheirDetailReadAsCountsWithTheDetailFromTheNextDispatch() {
        // the value a version without the detail wrote: the counts, then nothing
        ByteWriter before = new ByteWriter(64).putLong(0).putLong(0).putByte(1)
                .putLong(1_000).putLong(5_000).putLong(0).putVarInt(1).putVarInt(12); // 12 in (0, 10 s]
        Dispatches read = QueueCounters.fromBytes(before.toBytes()).dispatches();
        assertEquals(12, read.rate(30_000).dispatches());
        assertFalse(read.rate(30_000).hasDetail());
        assertFalse(read.countsArrivals(), "arrivals are counted from its next dispatch on");
        assertTrue(read.plus(6_000).countsArrivals());
    }

    @Test
    void countersWrittenBeforeDispatchesWereKeptReadAsCountsWithoutThem() {
        byte[] before = new ByteWriter(16).putLong(2).putLong(3).toBytes(); // the whole value, then
        assertEquals(new QueueCounters(2, 3), QueueCounters.fromBytes(before));
        assertNull(QueueCounters.fromBytes(before).dispatches());
    }

    @Test
    void aVersionThatKnowsOnlyTheCountsReadsThemFromAValueWrittenNow() {
        byte[] now = new QueueCounters(2, 3, Dispatches.watchedFrom(0).plus(10)).toBytes();
        ByteReader reader = new ByteReader(now, 0); // what QueueCounters.fromBytes read before
        assertEquals(2, reader.getLong());
        assertEquals(3, reader.getLong());
    }

    @Test
    void refusesDispatchesOfAnUnknownFormat() {
        byte[] later = new ByteWriter(17).putLong(2).putLong(3).putByte(9).toBytes();
        assertThrows(IllegalStateException.class, () -> QueueCounters.fromBytes(later));
    }
}
