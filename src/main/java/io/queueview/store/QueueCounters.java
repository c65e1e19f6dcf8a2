package io.queueview.store;

/**
 * What the view saw of a queue's events besides its entries: updates that named an entry not in the queue, and
 * events ignored because their version was not greater. Kept for operators; the entries are counted by the view.
 */
public record QueueCounters(long unknownUpdates, long staleEvents) {

    public static final QueueCounters EMPTY = new QueueCounters(0, 0);

    public QueueCounters plusUnknownUpdate() {
        return new QueueCounters(unknownUpdates + 1, staleEvents);
    }

    public QueueCounters plusStaleEvent() {
        return new QueueCounters(unknownUpdates, staleEvents + 1);
    }

    public byte[] toBytes() {
        return new ByteWriter(16).putLong(unknownUpdates).putLong(staleEvents).toBytes();
    }

    public static QueueCounters fromBytes(byte[] bytes) {
        if (bytes == null) {
            return EMPTY;
        }
        ByteReader reader = new ByteReader(bytes, 0);
        return new QueueCounters(reader.getLong(), reader.getLong());
    }
}
