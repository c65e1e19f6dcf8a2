package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.FilterField;
import io.queueview.store.QueueView;
import io.queueview.store.QueuedEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Answers list and position calls from the queues in memory ({@link QueueView}), walking only what the answer
 * needs: the whole queue from an offset skips priorities and rank_stamp blocks by their counts; a filtered page
 * walks the index of its most selective indexed filter, or the queue itself when it filters only by common
 * values; a total is read where one filter is indexed or counted, or an indexed one and a counted one, and counted
 * along the walk otherwise.
 */
public final class QueueReader {

    private final LocalStores stores;

    public QueueReader(LocalStores stores) {
        this.stores = stores;
    }

    public boolean ready() {
        return stores.ready();
    }

    /** @throws QueueUnavailable when this instance cannot answer for the queue now */
    public Page list(ListQuery query) {
        QueueView view = view(query.queue());
        if (view == null) {
            return new Page(List.of(), 0, query.offset(), query.limit());
        }
        return view.read(queue -> page(queue, query));
    }

    /**
     * One entry with its position, or empty when it is not queued there.
     *
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public Optional<EntryPosition> entry(QueueId queue, long id) {
        QueueView view = view(queue);
        if (view == null) {
            return Optional.empty();
        }
        return view.read(entries -> {
            QueuedEntry queued = entries.get(id);
            return queued == null ? Optional.empty() : Optional.of(
                    new EntryPosition(queued.entry(), entries.ahead(queued.entry()) + 1, entries.size()));
        });
    }

    /** The queue in memory, or null when nothing is queued there. */
    private QueueView view(QueueId queue) {
        QueuePartition partition = stores.partitionOf(queue);
        try {
            return partition.view().view(queue);
        } catch (InvalidStateStoreException e) {
            // a store closed under a read: its partition is moving (a rebalance)
            throw new QueueUnavailable("the stores of queue " + queue + " are moving (" + e.getMessage()
                    + "); retry shortly");
        }
    }

    private static Page page(QueueView queue, ListQuery query) {
        Map<FilterField, Object> filters = query.filters().byField();
        if (filters.isEmpty()) {
            List<Entry> page = new ArrayList<>(Math.min(query.limit(), 64));
            Iterator<Entry> walk = queue.from(query.offset());
            while (page.size() < query.limit() && walk.hasNext()) {
                page.add(walk.next());
            }
            return new Page(List.copyOf(page), queue.size(), query.offset(), query.limit());
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
                return window(walk, null, query, drivingCount); // every entry of the index matches
            }
            if (only.getKey().counted()) {
                return window(walk, query.filters(), query, queue.count(only.getKey(), only.getValue()));
            }
        }
        if (driving != null && filters.size() == 2) { // an indexed filter and another: read the pair's count if kept
            for (Map.Entry<FilterField, Object> other : filters.entrySet()) {
                if (other.getKey() != driving && other.getKey().counted()) {
                    long total = queue.count(driving, filters.get(driving), other.getKey(), other.getValue());
                    return window(walk, query.filters(), query, total);
                }
            }
        }
        return window(walk, query.filters(), query, -1);
    }

    /**
     * The page of the entries of a walk that match (all of them when filters is null); the total is given, or
     * counted to the end of the walk when it is -1.
     */
    private static Page window(Iterator<Entry> walk, Filters filters, ListQuery query, long total) {
        long end = (long) query.offset() + query.limit();
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), 64));
        long matched = 0;
        while (walk.hasNext() && (total < 0 || matched < Math.min(end, total))) {
            Entry entry = walk.next();
            if (filters != null && !filters.matches(entry)) {
                continue;
            }
            if (matched >= query.offset() && matched < end) {
                page.add(entry);
            }
            matched++;
        }
        return new Page(List.copyOf(page), total >= 0 ? total : matched, query.offset(), query.limit());
    }
}
