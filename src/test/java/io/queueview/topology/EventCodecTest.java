package io.queueview.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.event.JobDequeued;
import io.queueview.event.JobEnqueued;
import io.queueview.event.JobUpdated;
import io.queueview.event.QueueEvent;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import org.junit.jupiter.api.Test;

/** The repartition topic's binary form of a validated event. */
class EventCodecTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final Entry FULL = new Entry(QUEUE, -5, 42, -50, Long.MIN_VALUE, 9L, "UI", "lane-detect",
            "SCENARIO_AUTO_MINING", "DPK0000001", "DATA_MARK", "1Core_4GiB", "ws-1", "MODELARTS", "c-1");
    private static final Entry BARE = new Entry(QUEUE, Long.MAX_VALUE, 1, 50, 0, null, null, null, null, null,
            null, null, null, null, null);

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
