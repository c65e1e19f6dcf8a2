package io.queueview.topology;

import io.queueview.event.JobDequeued;
import io.queueview.event.JobEnqueued;
import io.queueview.event.JobUpdated;
import io.queueview.event.QueueEvent;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.store.ByteReader;
import io.queueview.store.ByteWriter;
import io.queueview.store.EntryCodec;

/**
 * The binary form of a validated event on the repartition topic, so the projector never parses JSON twice.
 * Internal to queueview: producers only ever write the JSON of EVENTS.md.
 */
public final class EventCodec {

    private static final int ENQUEUED = 1;
    private static final int UPDATED = 2;
    private static final int DEQUEUED = 3;

    private EventCodec() {
    }

    public static byte[] encode(QueueEvent event) {
        ByteWriter writer = new ByteWriter(96);
        int kind = event instanceof JobEnqueued ? ENQUEUED : event instanceof JobUpdated ? UPDATED : DEQUEUED;
        writer.putByte(kind).putString(event.queue().projectId()).putByte(event.queue().type().code());
        putNullableLong(writer, event.version());
        writer.putByte(0); // where event_time was kept: never read, the slot stays so that older records decode
        if (event instanceof JobEnqueued e) {
            EntryCodec.write(writer, e.entry());
        } else if (event instanceof JobUpdated e) {
            writer.putLong(e.id());
            putNullableLong(writer, e.priority() == null ? null : e.priority().longValue());
            putNullableLong(writer, e.rankStamp());
            putNullableString(writer, e.resourceSpec());
            putNullableString(writer, e.clusterType());
            putNullableString(writer, e.clusterId());
        } else {
            JobDequeued e = (JobDequeued) event;
            writer.putLong(e.id());
            putNullableString(writer, e.reason());
        }
        return writer.toBytes();
    }

    public static QueueEvent decode(byte[] bytes) {
        ByteReader reader = new ByteReader(bytes, 0);
        int kind = reader.getByte();
        QueueId queue = new QueueId(reader.getString(), QueueType.ofCode((byte) reader.getByte()));
        Long version = nullableLong(reader);
        nullableLong(reader); // the event_time slot of older records
        return switch (kind) {
            case ENQUEUED -> new JobEnqueued(EntryCodec.read(reader, queue), version);
            case UPDATED -> {
                long id = reader.getLong();
                Long priority = nullableLong(reader);
                yield new JobUpdated(queue, id, version,
                        priority == null ? null : priority.intValue(), nullableLong(reader),
                        nullableString(reader), nullableString(reader), nullableString(reader));
            }
            case DEQUEUED -> new JobDequeued(queue, reader.getLong(), version, nullableString(reader));
            default -> throw new IllegalStateException("unknown event kind " + kind);
        };
    }

    private static void putNullableLong(ByteWriter writer, Long value) {
        if (value == null) {
            writer.putByte(0);
        } else {
            writer.putByte(1).putLong(value);
        }
    }

    private static void putNullableString(ByteWriter writer, String value) {
        if (value == null) {
            writer.putByte(0);
        } else {
            writer.putByte(1).putString(value);
        }
    }

    private static Long nullableLong(ByteReader reader) {
        return reader.getByte() == 1 ? reader.getLong() : null;
    }

    private static String nullableString(ByteReader reader) {
        return reader.getByte() == 1 ? reader.getString() : null;
    }
}
