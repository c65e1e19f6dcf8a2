package io.queueview.testing;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;

/** Entries at the edges of what the binary codecs must carry: every field at an extreme, and none of the optional. */
public final class CodecSamples {

    public static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    public static final Entry FULL = new Entry(QUEUE, -5, 42, -50, Long.MIN_VALUE, 9L, "UI", "lane-detect",
            "SCENARIO_AUTO_MINING", "DPK0000001", "DATA_MARK", "1Core_4GiB", "ws-1", "MODELARTS", "c-1");
    public static final Entry BARE = new Entry(QUEUE, Long.MAX_VALUE, 1, 50, 0, null, null, null, null, null,
            null, null, null, null, null);

    private CodecSamples() {
    }
}
