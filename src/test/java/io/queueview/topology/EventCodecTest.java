package io.queueview.topology;

import static io.queueview.testing.CodecSamples.BARE;
import static io.queueview.testing.CodecSamples.FULL;
import static io.queueview.testing.CodecSamples.QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.event.JobDequeued;
import io.queueview.event.JobEnqueued;
import io.queueview.event.JobUpdated;
import io.queueview.event.QueueEvent;
import org.junit.jupiter.api.Test;

/** The repartition topic's binary form of a validated event. */
class EventCodecTest {

    @Test
    void everyEventKindReadsBackEqual() {
        QueueEvent[] events = {
            new JobEnqueued(FULL, 3L),
            new JobEnqueued(BARE, null),
            new JobUpdated(QUEUE, 7, 4L, -2, 99L, "2Core_8GiB", "CCE", "c-2"),
            new JobUpdated(QUEUE, 7, null, null, null, null, null, null),
            new JobDequeued(QUEUE, 7, 5L, "DISPATCHED"),
            new JobDequeued(QUEUE, 7, null, null),
        };
        for (QueueEvent event : events) {
            assertEquals(event, EventCodec.decode(EventCodec.encode(event)));
        }
    }
}
