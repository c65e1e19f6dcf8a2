package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.store.DispatchRate;
import io.queueview.store.FilterField;
import io.queueview.store.QueueDepth;
import io.queueview.store.LockedQueue;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Answers list and position calls from the queues in memory ({@link LockedQueue}, under the queue's read lock), walking only what the answer
 * needs: the whole queue from an offset skips priorities and rank_stamp blocks by their counts; a filtered page
 * walks the index of its most selective indexed filter, or the queue itself when it filters only by common
 * values; a total is read where one filter is indexed or counted, or an indexed one and a counted one, and counted
 * along the walk otherwise. A page after a place (a page token) seeks it in the same queue or index.
 */
public final class QueueReader {

    /**
     * Room a page's list starts with: most pages are short (the default limit is 10, a filtered page may match
     * few), so a 200-entry page grows its list rather than every page allocating 200 slots.
     */
    private static final int PAGE_CAPACITY = 64;
    /**
     * The most entries an answer walks in the cluster indexes to count each entry's place in its cluster: beyond
     * it (a page deep in a big queue) the place is taken in proportion to the cluster's count.
     */
    private static final long CLUSTER_WALK = 20_000;
    /** The key of the entries that name no cluster, as the dispatches' detail counts them. */
    private static final String NO_CLUSTER = DispatchRate.NO_CLUSTER;

    private final LocalStores stores;
    private final InstantSource time;

    /** @param time what "now" is for the calls that do not say (estimated waits run up to it) */
    public QueueReader(LocalStores stores, InstantSource time) {
        this.stores = stores;
        this.time = time;
    }

    public boolean ready() {
        return stores.ready();
    }

    /** What the view waits for while it is not ready. */
    public String waitingFor() {
        return stores.waitingFor();
    }

    /** How many entries each queue this instance owns holds. */
    public Map<QueueId, QueueDepth> depths() {
        return stores.depths();
    }

    /** How fresh the view of this queue's partition is. */
    public ViewFreshness freshness(QueueId queue) {
        return freshness(stores.partitionOf(queue));
    }

    /** Where the queue's partition lives, seen from here: for routing a call before it is answered. */
    public QueuePlacement placement(QueueId queue) {
        return stores.placement(queue);
    }

    private ViewFreshness freshness(QueuePartition partition) {
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
        return list(query, time.instant());
    }

    /** As {@link #list(ListQuery)}, with estimated waits by the queue's pace up to now. */
    public Page list(ListQuery query, Instant now) {
        return read(query.queue(), queue -> page(queue, query, now.toEpochMilli()));
    }

    /**
     * One entry with its position and what is ahead of it, or empty when it is not queued there.
     *
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public Optional<EntryPosition> entry(QueueId queue, long id) {
        return entry(queue, id, time.instant());
    }

    /** As {@link #entry(QueueId, long)}, with the estimated wait by the queue's pace up to now. */
    public Optional<EntryPosition> entry(QueueId queue, long id, Instant now) {
        return read(queue, entries -> position(entries, id, now));
    }

    private static Optional<EntryPosition> position(LockedQueue entries, long id, Instant now) {
        Entry entry = entries.entry(id);
        if (entry == null) {
            return Optional.empty();
        }
        long ahead = entries.ahead(entry);
        long position = ahead + 1;
        DispatchRate pace = entries.pace(now.toEpochMilli());
        WaitEstimate wait = pace == null ? null : waits(entries, List.of(entry), position, pace).get(0);
        return Optional.of(new EntryPosition(entry, position, entries.size(), wait, Ahead.of(entries, entry, ahead)));
    }

    /**
     * A page, and how fresh the view that gave it is: the active view here, or — when the read may come from a copy
     * and no active view can answer here — a copy of the queue's partition (a standby), if it is no further behind
     * than the read allows.
     *
     * @throws OwnedElsewhere   when another instance owns the queue and the read takes only the active view
     * @throws QueueUnavailable when neither the active view nor a copy close enough can answer here now
     */
    public Answered<Page> list(ListQuery query, Instant now, ReadFrom from) {
        return read(query.queue(), queue -> page(queue, query, now.toEpochMilli()), from);
    }

    /** As {@link #list(ListQuery, Instant, ReadFrom)}, for one entry with its position. */
    public Answered<Optional<EntryPosition>> entry(QueueId queue, long id, Instant now, ReadFrom from) {
        return read(queue, entries -> position(entries, id, now), from);
    }

    private <T> Answered<T> read(QueueId queue, Function<LockedQueue, T> query, ReadFrom from) {
        RuntimeException noActiveView;
        try {
            QueuePartition partition = stores.partitionOf(queue);
            T answer = read(queue, partition, query);
            return new Answered<>(answer, freshness(partition));
        } catch (OwnedElsewhere | QueueUnavailable e) {
            if (!from.copyAllowed()) {
                throw e;
            }
            noActiveView = e;
        }
        QueueCopy copy = stores.copyOf(queue);
        if (copy.lag() > from.maxLag()) {
            throw new QueueUnavailable(noActiveView.getMessage() + "; the copy of its stores here is " + copy.lag()
                    + " records behind, more than max_lag " + from.maxLag());
        }
        return new Answered<>(copy.views().read(queue, query), ViewFreshness.ofCopy(copy.lag()));
    }

    /**
     * Up to max entries that match the filters, strictly after a place (from the head when null), in queue order:
     * one batch of an export, read under the queue's read lock, which is let go between batches. No total: an
     * export walks on until a batch comes back short.
     *
     * @throws OwnedElsewhere   when another instance owns the queue
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public List<Entry> batch(QueueId queue, Filters filters, OrderKey after, int max) {
        return read(queue, entries -> {
            Plan plan = Plan.of(entries, filters, filters.byField());
            Iterator<Entry> walk = plan.walk(entries, after);
            List<Entry> batch = new ArrayList<>(max);
            while (batch.size() < max && walk.hasNext()) {
                Entry entry = walk.next();
                if (plan.check() == null || plan.check().matches(entry)) {
                    batch.add(entry);
                }
            }
            return batch;
        });
    }

    /**
     * The queue's wait statistics over the windows that end now: its dispatches and their times in queue over the
     * last hour and 24 hours, and its depth a minute at a time.
     *
     * @throws OwnedElsewhere   when another instance owns the queue
     * @throws QueueUnavailable when this instance cannot answer for the queue now
     */
    public WaitStats stats(QueueId queue, Instant now) {
        QueuePartition partition = stores.partitionOf(queue);
        read(queue, LockedQueue::size); // refuses while the partition's view is rebuilt: its stores are being restored
        try {
            return WaitStatsReader.read(stores.waitHistory(partition.partition()), queue, now);
        } catch (InvalidStateStoreException e) {
            throw new QueueUnavailable("the stores of queue " + queue + " are moving (" + e.getMessage()
                    + "); retry shortly");
        }
    }

    /** Runs a query on the queue in memory under its read lock. */
    private <T> T read(QueueId queue, Function<LockedQueue, T> query) {
        return read(queue, stores.partitionOf(queue), query);
    }

    private static <T> T read(QueueId queue, QueuePartition partition, Function<LockedQueue, T> query) {
        try {
            return partition.views().read(queue, query);
        } catch (InvalidStateStoreException e) {
            // a store closed under a read: its partition is moving (a rebalance)
            throw new QueueUnavailable("the stores of queue " + queue + " are moving (" + e.getMessage()
                    + "); retry shortly");
        }
    }

    private static Page page(LockedQueue queue, ListQuery query, long now) {
        Map<FilterField, Object> filters = query.filters().byField();
        OrderKey after = query.after();
        if (filters.isEmpty()) {
            Iterator<Entry> walk = after == null ? queue.from(query.offset()) : queue.after(after);
            List<Entry> page = new ArrayList<>(Math.min(query.limit(), PAGE_CAPACITY));
            while (page.size() < query.limit() && walk.hasNext()) {
                page.add(walk.next());
            }
            return new Page(List.copyOf(page), queue.size(), after == null ? query.offset() : null, query.limit(),
                    walk.hasNext(), waits(queue, query, page, now));
        }
        Plan plan = Plan.of(queue, query.filters(), filters);
        if (after == null) {
            return fromOffset(plan.walk(queue, null), plan.check(), query, plan.total());
        }
        if (plan.total().isPresent()) { // seek the place
            return afterPlace(plan.walk(queue, after), null, plan.check(), query, plan.total());
        }
        // the total is counted on a walk from the head: the page starts once it is past the place
        return afterPlace(plan.walk(queue, null), after, plan.check(), query, plan.total());
    }

    /**
     * How a filtered page is read: the index of its most selective indexed filter (driving, null: the queue itself)
     * is walked, each entry checked against the filters (check; null when every entry of the index matches), and the
     * total read where the view keeps it (else empty: counted along the walk).
     */
    private record Plan(FilterField driving, Object value, Filters check, OptionalLong total,
                        Map<FilterField, Object> filters) {

        static Plan of(LockedQueue queue, Filters asked, Map<FilterField, Object> filters) {
            FilterField driving = null;
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
            Object value = driving == null ? null : filters.get(driving);
            if (filters.size() == 1) {
                Map.Entry<FilterField, Object> only = filters.entrySet().iterator().next();
                if (driving != null) { // every entry of the index matches
                    return new Plan(driving, value, null, OptionalLong.of(drivingCount), filters);
                }
                if (only.getKey().counted()) {
                    return new Plan(null, null, asked, OptionalLong.of(queue.count(only.getKey(), only.getValue())),
                            filters);
                }
            }
            if (driving != null && filters.size() == 2) { // an indexed filter and another: the pair's count if kept
                for (Map.Entry<FilterField, Object> other : filters.entrySet()) {
                    if (other.getKey() != driving && other.getKey().counted()) {
                        return new Plan(driving, value, asked,
                                queue.count(driving, value, other.getKey(), other.getValue()), filters);
                    }
                }
            }
            return new Plan(driving, value, asked, OptionalLong.empty(), filters);
        }

        /**
         * The matching entries of the queue, or of the index of the driving value, in queue order: from the head, or
         * strictly after a place. The view checks the filters before it makes an entry (check stays: it is cheap on
         * the matches).
         */
        Iterator<Entry> walk(LockedQueue queue, OrderKey after) {
            return queue.matchingAll(driving, value, after, filters);
        }
    }

    /**
     * The page at the query's offset among the entries of a walk that match (all of them when check is null); the
     * total is given, or counted to the end of the walk when it is not known.
     */
    private static Page fromOffset(Iterator<Entry> walk, Filters check, ListQuery query, OptionalLong knownTotal) {
        long end = (long) query.offset() + query.limit();
        // with a known total the walk stops after the page; otherwise it goes on, counting
        long stopAt = knownTotal.isPresent() ? Math.min(end, knownTotal.getAsLong()) : Long.MAX_VALUE;
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), PAGE_CAPACITY));
        long matched = 0;
        while (walk.hasNext() && matched < stopAt) {
            Entry entry = walk.next();
            if (check != null && !check.matches(entry)) {
                continue;
            }
            if (matched >= query.offset() && matched < end) {
                page.add(entry);
            }
            matched++;
        }
        long total = knownTotal.orElse(matched);
        return new Page(List.copyOf(page), total, query.offset(), query.limit(), end < total, List.of());
    }

    /**
     * The page of the matching entries of a walk strictly after the query's place: a walk that starts after it, or
     * one from the head that passes it (skipUntilPast, to count the total on the way: it goes on to its end). A walk
     * with a known total stops at the first match past the page, which says that more follow.
     */
    private static Page afterPlace(Iterator<Entry> walk, OrderKey skipUntilPast, Filters check, ListQuery query,
                                   OptionalLong knownTotal) {
        List<Entry> page = new ArrayList<>(Math.min(query.limit(), PAGE_CAPACITY));
        long matched = 0;
        boolean more = false;
        while (walk.hasNext()) {
            Entry entry = walk.next();
            if (check != null && !check.matches(entry)) {
                continue;
            }
            matched++;
            if (skipUntilPast != null && !skipUntilPast.isBefore(entry)) {
                continue;
            }
            if (page.size() < query.limit()) {
                page.add(entry);
            } else {
                more = true;
                if (knownTotal.isPresent()) {
                    break;
                }
            }
        }
        return new Page(List.copyOf(page), knownTotal.orElse(matched), null, query.limit(), more, List.of());
    }

    /**
     * The estimated waits of a page of the whole queue, whose entries have consecutive positions: from the offset's,
     * or the first entry's after a page token. None when the queue has no pace.
     */
    private static List<WaitEstimate> waits(LockedQueue queue, ListQuery query, List<Entry> page, long now) {
        DispatchRate pace = queue.pace(now);
        if (pace == null || page.isEmpty()) {
            return List.of();
        }
        long first = query.after() == null ? query.offset() + 1L : queue.ahead(page.get(0)) + 1;
        return waits(queue, page, first, pace);
    }

    /**
     * The waits of entries at consecutive positions from first: each by its cluster's pace among the entries of its
     * cluster ahead of it, where it names one and the pace has the detail (null where it cannot be trusted).
     */
    private static List<WaitEstimate> waits(LockedQueue queue, List<Entry> entries, long first, DispatchRate pace) {
        Map<String, Map<Long, Long>> clusterPositions = pace.hasDetail() ? clusterPositions(queue, entries, pace)
                : Map.of();
        List<WaitEstimate> waits = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            long position = first + i;
            String cluster = FilterField.cluster(entry.clusterType(), entry.clusterId());
            Long clusterPosition = clusterPositions.getOrDefault(cluster == null ? NO_CLUSTER : cluster, Map.of())
                    .get(entry.id());
            if (clusterPosition == null && cluster != null) { // past the walk's bound: in proportion to its count
                clusterPosition = Math.max(1, Math.round(position * (double) queue.count(FilterField.CLUSTER, cluster)
                        / queue.size()));
            }
            if (cluster == null && clusterPosition != null) { // among the entries that name none, at their pace
                waits.add(WaitEstimate.at(position, NO_CLUSTER, clusterPosition, pace));
            } else {
                waits.add(WaitEstimate.at(position, cluster, clusterPosition == null ? position : clusterPosition,
                        pace));
            }
        }
        return Collections.unmodifiableList(waits); // null where an entry's wait cannot be trusted
    }

    /**
     * Each entry's place among the entries of its cluster (1 = its cluster's next), by cluster and id: a walk of each
     * cluster's index from its head to the last of these entries in it, {@link #CLUSTER_WALK} entries at most in all
     * (an entry past that is left out).
     */
    private static Map<String, Map<Long, Long>> clusterPositions(LockedQueue queue, List<Entry> entries,
                                                                 DispatchRate pace) {
        Map<String, Set<Long>> wanted = new HashMap<>();
        for (Entry entry : entries) {
            String cluster = FilterField.cluster(entry.clusterType(), entry.clusterId());
            if (cluster != null || pace.clusterShare(NO_CLUSTER) != null && pace.clusterShare(NO_CLUSTER) < 1) {
                wanted.computeIfAbsent(cluster == null ? NO_CLUSTER : cluster, c -> new HashSet<>()).add(entry.id());
            }
        }
        Map<String, Map<Long, Long>> positions = new HashMap<>();
        long budget = CLUSTER_WALK;
        for (Map.Entry<String, Set<Long>> cluster : wanted.entrySet()) {
            Map<Long, Long> found = new HashMap<>();
            positions.put(cluster.getKey(), found);
            boolean none = cluster.getKey().equals(NO_CLUSTER); // no index: the queue, skipping entries that name one
            Iterator<Entry> walk = none ? queue.from(0) : queue.matching(FilterField.CLUSTER, cluster.getKey());
            long place = 0;
            while (found.size() < cluster.getValue().size() && walk.hasNext() && budget-- > 0) {
                Entry next = walk.next();
                if (none && FilterField.cluster(next.clusterType(), next.clusterId()) != null) {
                    continue;
                }
                place++;
                if (cluster.getValue().contains(next.id())) {
                    found.put(next.id(), place);
                }
            }
        }
        return positions;
    }
}
