package io.queueview.store;

/**
 * What the view saw of a queue's events besides its entries: updates that named an entry not in the queue, and
 * events ignored because their version was not greater (kept for operators), and its recent dispatches (for the
 * estimated wait; null before the queue's first event seen by a version that watches them).
 * <p>
 * Stored as the two counts (16 bytes, the whole value before dispatches were kept), then, when there are dispatches,
 * a format byte and them. So a value written before reads as counts without dispatches, and a version that knows
 * only the counts reads a value written now as its counts, ignoring the rest; likewise the dispatches' detail
 * (clusters, arrivals ahead) follows their counts, and a version before it reads the counts and stops.
 */
public record QueueCounters(long unknownUpdates, long staleEvents, Dispatches dispatches) {

    public static final QueueCounters EMPTY = new QueueCounters(0, 0);
    private static final int COUNTS_LENGTH = 16;
    private static final int DISPATCHES_FORMAT = 1;

    public QueueCounters(long unknownUpdates, long staleEvents) {
        this(unknownUpdates, staleEvents, null);
    }

    public QueueCounters plusUnknownUpdate() {
        return new QueueCounters(unknownUpdates + 1, staleEvents, dispatches);
    }

    public QueueCounters plusStaleEvent() {
        return new QueueCounters(unknownUpdates, staleEvents + 1, dispatches);
    }

    /** Dispatches are counted from this record time on, unless they already were. */
    public QueueCounters watchedFrom(long at) {
        return dispatches != null ? this : new QueueCounters(unknownUpdates, staleEvents, Dispatches.watchedFrom(at));
    }

    /** With one more dispatch at this record time. */
    public QueueCounters plusDispatch(long at) {
        return plusDispatch(at, null);
    }

    /** With one more dispatch at this record time, of an entry of this cluster (null: none). */
    public QueueCounters plusDispatch(long at, String cluster) {
        return new QueueCounters(unknownUpdates, staleEvents, watchedFrom(at).dispatches().plus(at, cluster));
    }

    /** With one more departure other than a dispatch, from this position. */
    public QueueCounters plusDeparture(long at, long position) {
        return dispatches == null ? this
                : new QueueCounters(unknownUpdates, staleEvents, dispatches.plusDeparture(at, position));
    }

    /** With one more arrival ahead of entries queued before it, landed at this position. */
    public QueueCounters plusArrivalAhead(long at, long position) {
        return dispatches == null ? this
                : new QueueCounters(unknownUpdates, staleEvents, dispatches.plusArrivalAhead(at, position));
    }

    public byte[] toBytes() {
        ByteWriter writer = new ByteWriter(dispatches == null ? COUNTS_LENGTH : 64)
                .putLong(unknownUpdates).putLong(staleEvents);
        if (dispatches != null) {
            writer.putByte(DISPATCHES_FORMAT);
            dispatches.write(writer);
        }
        return writer.toBytes();
    }

    public static QueueCounters fromBytes(byte[] bytes) {
        if (bytes == null) {
            return EMPTY;
        }
        ByteReader reader = new ByteReader(bytes, 0);
        long unknownUpdates = reader.getLong();
        long staleEvents = reader.getLong();
        if (bytes.length == COUNTS_LENGTH) {
            return new QueueCounters(unknownUpdates, staleEvents); // written before dispatches were kept
        }
        int format = reader.getByte();
        if (format != DISPATCHES_FORMAT) {
            throw new IllegalStateException("unknown format " + format + " of a queue's dispatches");
        }
        return new QueueCounters(unknownUpdates, staleEvents, Dispatches.read(reader, bytes.length));
    }
}
