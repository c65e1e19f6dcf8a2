package io.queueview.store;

/**
 * Counts kept per queue as events apply, so that they are read, not counted: the entries queued now, updates
 * that named an entry not in the queue, and events ignored because their version was not greater.
 */
public record QueueCounters(long entries, long unknownUpdates, long staleEvents) {

    public static final QueueCounters EMPTY = new QueueCounters(0, 0, 0);

    public QueueCounters plusEntries(long delta) {
        return new QueueCounters(entries + delta, unknownUpdates, staleEvents);
    }

    public QueueCounters plusUnknownUpdate() {
        return new QueueCounters(entries, unknownUpdates + 1, staleEvents);
    }

    public QueueCounters plusStaleEvent() {
        return new QueueCounters(entries, unknownUpdates, staleEvents + 1);
    }

    public byte[] toBytes() {
        return new ByteWriter(24).putLong(entries).putLong(unknownUpdates).putLong(staleEvents).toBytes();
    }

    public static QueueCounters fromBytes(byte[] bytes) {
        if (bytes == null) {
            return EMPTY;
        }
        ByteReader reader = new ByteReader(bytes, 0);
        return new QueueCounters(reader.getLong(), reader.getLong(), reader.getLong());
    }
}
