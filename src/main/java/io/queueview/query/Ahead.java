package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.store.FilterField;
import io.queueview.store.LockedQueue;
import java.util.Iterator;

/**
 * What is ahead of an entry, so that its position reads as a reason ("40th: 12 of higher priority, 27 of the same
 * priority ahead of it").
 *
 * @param higherPriority entries ahead with a higher priority
 * @param samePriority   entries ahead with the same priority: queued earlier (a smaller rank_stamp), or moved ahead
 * @param sameCluster    entries ahead, of any priority, bound to the same cluster (cluster_type and cluster_id);
 *                       null when the entry names no cluster
 */
public record Ahead(long higherPriority, long samePriority, Long sameCluster) {

    /** What is ahead of a queued entry that has {@code ahead} entries before it, read under the queue's read lock. */
    static Ahead of(LockedQueue queue, Entry entry, long ahead) {
        long higher = higherPriority(queue, entry, ahead);
        return new Ahead(higher, ahead - higher, sameCluster(queue, entry));
    }

    /**
     * Entries of a higher priority all come before the first one of the entry's priority, so their count is what is
     * ahead of that first one: a seek and a position, whatever the queue's size.
     */
    private static long higherPriority(LockedQueue queue, Entry entry, long ahead) {
        Iterator<Entry> walk = queue.after(new OrderKey(entry.priority(), Long.MIN_VALUE, Long.MIN_VALUE));
        Entry first = walk.hasNext() ? walk.next() : null;
        if (first == null || first.priority() != entry.priority() || !OrderKey.of(first).isBefore(entry)) {
            return ahead; // the entry is the first of its priority (the seek could only skip it at the very edge)
        }
        return queue.ahead(first);
    }

    /** Walks the cluster's index (in queue order) up to the entry: its size is the cluster's, not the queue's. */
    private static Long sameCluster(LockedQueue queue, Entry entry) {
        Object cluster = FilterField.CLUSTER.of(entry);
        if (cluster == null) {
            return null;
        }
        long count = 0;
        Iterator<Entry> walk = queue.matching(FilterField.CLUSTER, cluster);
        while (walk.hasNext() && walk.next().id() != entry.id()) {
            count++;
        }
        return count;
    }
}
