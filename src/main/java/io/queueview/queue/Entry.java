package io.queueview.queue;

import java.util.Comparator;
import java.util.Objects;

/**
 * A job waiting in a queue (the API's jobQueueVo). Optional fields are null when the scheduler did not
 * send them; job_type, output_type and cluster_type keep words this version does not know.
 */
public record Entry(
        QueueId queue,
        long id,
        long jobId,
        int priority,
        long rankStamp,
        Long processorId,
        String source,
        String processorName,
        String jobType,
        String dataId,
        String outputType,
        String resourceSpec,
        String workspaceId,
        String clusterType,
        String clusterId) {

    public static final int MIN_PRIORITY = -50;
    public static final int MAX_PRIORITY = 50;

    /** The order in which a queue is served: priority descending, then rank_stamp, then id ascending. */
    public static final Comparator<Entry> QUEUE_ORDER = Entry::compareInQueue;

    // written out rather than composed from Comparator.comparing...: the view compares on every insert and walk
    private static int compareInQueue(Entry a, Entry b) {
        if (a.priority != b.priority) {
            return a.priority > b.priority ? -1 : 1;
        }
        if (a.rankStamp != b.rankStamp) {
            return a.rankStamp < b.rankStamp ? -1 : 1;
        }
        return Long.compare(a.id, b.id);
    }

    public Entry {
        Objects.requireNonNull(queue, "queue");
    }

    public Entry withOrder(int priority, long rankStamp) {
        return new Entry(queue, id, jobId, priority, rankStamp, processorId, source, processorName, jobType, dataId,
                outputType, resourceSpec, workspaceId, clusterType, clusterId);
    }

    /** The entry with the cluster and resources the scheduler assigned it. */
    public Entry withResources(String resourceSpec, String clusterType, String clusterId) {
        return new Entry(queue, id, jobId, priority, rankStamp, processorId, source, processorName, jobType, dataId,
                outputType, resourceSpec, workspaceId, clusterType, clusterId);
    }
}
