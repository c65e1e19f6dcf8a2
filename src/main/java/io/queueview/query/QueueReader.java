package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.DispatchRate;
import io.queueview.store.FilterField;
import io.queueview.store.QueueRead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Answers list and position calls from the queues in memory ({@link QueueRead}, under the queue's read lock), walking only what the answer
 * needs: the whole queue from an offset skips priorities and rank_stamp blocks by their counts; a filtered page
 * walks the index of its most selective indexed filter, or the queue itself when it filters only by common
 * values; a total is read where one filter is indexed or counted, or an indexed one and a counted one, and counted
 * along the walk otherwise.
 */
public final class QueueReader {

    /**
     * Room a page's list starts with: most pages are short (the default limit is 10, a filtered page may match
     * few), so a 200-entry page grows its list rather than every page allocating 200 slots.
     */
    private static final int PAGE_CAPACITY = 64;

    private final LocalStores stores;

    public QueueReader(LocalStores stores) {
        this.stores = stores;
    }

    public boolean ready() {
        return stores.ready();
    }

    /** How many entries each queue this instance owns holds. */
    public Map<QueueId, Long> depths() {
        return stores.depths();
    }

    /** How fresh the view of this queue's partition is. */
    public ViewFreshness freshness(QueueId queue) {
        QueuePartition partition = stores.partitionOf(queue);
        OptionalLong until = partition.views().appliedUntil();
        return new ViewFreshness(until.isPresent() ? Instant.ofEpochMilli(until.getAsLong()) : null,
                stores.lag(partition.partition()));
    }

    /** The instances this one knows and the partitions each holds. */
    public ClusterState cluster() {
        return stores.cluster();
    }

    /**
     * @throws OwnedElsewhere   when another instance owns the queue
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public Page list(ListQuery query) {
        return list(query, Instant.now());
    }

    /** As {@link #list(ListQuery)}, with estimated waits by the queue's pace up to now. */
    public Page list(ListQuery query, Instant now) {
        return read(query.queue(), queue -> page(queue, query, now.toEpochMilli()));
    }

    /**
     * One entry with its position, or empty when it is not queued there.
     *
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public Optional<EntryPosition> entry(QueueId queue, long id) {
        return entry(queue, id, Instant.now());
    }

    /** As {@link #entry(QueueId, long)}, with the estimated wait by the queue's pace up to now. */
    public Optional<EntryPosition> entry(QueueId queue, long id, Instant now) {
        return read(queue, entries -> {
            Entry entry = entries.entry(id);
            if (entry == null) {
                return Optional.empty();
            }
            long position = entries.ahead(entry) + 1;
            return Optional.of(new EntryPosition(entry, position, entries.size(),
                    WaitEstimate.at(position, entries.pace(now.toEpochMilli()))));
        });
    }

    /** Runs a query on the queue in memory under its read lock. */
    private <T> T read(QueueId queue, Function<QueueRead, T> query) {
        QueuePartition partition = stores.partitionOf(queue);
        try {
            return partition.views().read(queue, query);
        } catch (InvalidStateStoreException e) {
            // a store closed under a read: its partition is moving (a rebalance)
            throw new QueueUnavailable("the stores of queue " + queue + " are moving (" + e.getMessage()
                    + "); retry shortly");
        }
    }

    private static Page page(QueueRead queue, ListQuery query, long now) {
        Map<FilterField, Object> filters = query.filters().byField();
        if (filters.isEmpty()) {
            List<Entry> page = new ArrayList<>(Math.min(query.limit(), PAGE_CAPACITY));
            Iterator<Entry> walk = queue.from(query.offset());
            while (page.size() < query.limit() && walk.hasNext()) {
                page.add(walk.next());
            }
            // the whole queue from an offset: the n-th entry listed is at position offset + n
            return new Page(List.copyOf(page), queue.size(), query.offset(), query.limit(),
                    waits(query.offset() + 1L, page.size(), queue.pace(now)));
        }
        FilterField driving = null; // the most selective indexed filter: its index is what the page walks
        long drivingCount = Long.MAX_VALUE;
        for (Map.Entry<FilterField, Object> filter : filters.entrySet()) {
            if (filter.getKey().indexed()) {
                long count = queue.count(filter.getKey(), filter.getValue());
                if (count < drivingCount) {
                    drivingCount = count;
                    driving = filter.getKey();
                }
            }
        }
        Iterator<Entry> walk = driving != null ? queue.matching(driving, filters.get(driving)) : queue.from(0);
        if (filters.size() == 1) {
            Map.Entry<FilterField, Object> only = filters.entrySet().iterator().next();
            if (driving != null) {
                return window(walk, null, query, OptionalLong.of(drivingCount)); // every entry of the index matches
            }
            if (only.getKey().counted()) {
                return window(walk, query.filters(), query,
                        OptionalLong.of(queue.count(only.getKey(), only.getValue())));
            }
        }
        if (driving != null && filters.size() == 2) { // an indexed filter and another: read the pair's count if kept
            for (Map.Entry<FilterField, Object> other : filters.entrySet()) {
                if (other.getKey() != driving && other.getKey().counted()) {
                    return window(walk, query.filters(), query,
                            queue.count(driving, filters.get(driving), other.getKey(), other.getValue()));
                }
            }
        }
        return window(walk, query.filters(), query, OptionalLong.empty());
    }

    /**
     * The page of the entries of a walk that match (all of them when filters is null); the total is given, or
     * counted to the end of the walk when it is not known.
     */
    private static Page window(Iterator<Entry> walk, Filters filters, ListQuery query, OptionalLong knownTotal) {
        long end = (long) query.offset() + query.limit();
        // with a known total the walk stops after the page; otherwise it goes on, counting
        long stopAt = knownTotal.isPresent() ? Math.min(end, knownTotal.getAsLong()) : Long.MAX_VALUE;
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), PAGE_CAPACITY));
        long matched = 0;
        while (walk.hasNext() && matched < stopAt) {
            Entry entry = walk.next();
            if (filters != null && !filters.matches(entry)) {
                continue;
            }
            if (matched >= query.offset() && matched < end) {
                page.add(entry);
            }
            matched++;
        }
        return new Page(List.copyOf(page), knownTotal.orElse(matched), query.offset(), query.limit(), List.of());
    }

    /** The estimated waits of consecutive positions from the first, at this pace; none without one. */
    private static List<WaitEstimate> waits(long firstPosition, int count, DispatchRate pace) {
        if (pace == null) {
            return List.of();
        }
        List<WaitEstimate> waits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            waits.add(WaitEstimate.at(firstPosition + i, pace));
        }
        return List.copyOf(waits);
    }
}
