package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import java.util.HashMap;
import java.util.Map;

/**
 * One String instance per distinct text value of the entries held in memory: names, types, data ids and cluster
 * ids repeat across thousands of entries, and each decoded entry brings its own copies (about 50 bytes each, nine
 * per entry). Bounded: past {@link #MOST} values it starts over, which costs sharing, never correctness.
 */
final class TextValues {

    private static final int MOST = 200_000;
    private final Map<String, String> shared = new HashMap<>();

    /** The entry with its queue and texts replaced by the shared instances of equal values. */
    Entry shared(Entry e, QueueId queue) {
        return new Entry(queue, e.id(), e.jobId(), e.priority(), e.rankStamp(), e.processorId(), shared(e.source()),
                shared(e.processorName()), shared(e.jobType()), shared(e.dataId()), shared(e.outputType()),
                shared(e.resourceSpec()), shared(e.workspaceId()), shared(e.clusterType()), shared(e.clusterId()));
    }

    private String shared(String text) {
        if (text == null) {
            return null;
        }
        String known = shared.putIfAbsent(text, text);
        if (known != null) {
            return known;
        }
        if (shared.size() > MOST) {
            shared.clear();
        }
        return text;
    }

    void clear() {
        shared.clear();
    }
}
