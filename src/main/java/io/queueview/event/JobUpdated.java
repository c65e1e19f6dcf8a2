package io.queueview.event;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;

/** Changes the fields it carries (non-null here) of a queued entry and leaves the others as they are. */
public record JobUpdated(QueueId queue, long id, Long version,
                         Integer priority, Long rankStamp, String resourceSpec, String clusterType, String clusterId)
        implements QueueEvent {

    public Entry applyTo(Entry entry) {
        return entry
                .withOrder(priority != null ? priority : entry.priority(),
                        rankStamp != null ? rankStamp : entry.rankStamp())
                .withResources(resourceSpec != null ? resourceSpec : entry.resourceSpec(),
                        clusterType != null ? clusterType : entry.clusterType(),
                        clusterId != null ? clusterId : entry.clusterId());
    }
}
