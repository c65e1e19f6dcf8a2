package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The read-only face of one queue in memory, handed to a query while it holds the queue's read lock
 * ({@link QueueViews#read}). It is closed when the query returns: any later use — of it or of an iterator it gave
 * out — throws, so a query must materialize its answer (a page, a position) before it returns.
 */
public final class LockedQueue {

    private final QueueView view;
    private final Dispatches dispatches;
    private boolean open = true;

    LockedQueue(QueueView view, Dispatches dispatches) {
        this.view = view;
        this.dispatches = dispatches;
    }

    void close() {
        open = false;
    }

    public QueueId queue() {
        return view.queue();
    }

    /** How many entries are queued. */
    public long size() {
        checkOpen();
        return view.size();
    }

    /** The smallest rank_stamp queued: the entry that has waited longest; empty when nothing is queued. */
    public OptionalLong oldestRankStamp() {
        checkOpen();
        return view.oldestRankStamp();
    }

    /** The queued entry with this id, or null. */
    public Entry entry(long id) {
        checkOpen();
        return view.entry(id);
    }

    /** How many entries have this value of an indexed or counted field. */
    public long count(FilterField field, Object value) {
        checkOpen();
        return view.count(field, value);
    }

    /**
     * How many entries have both a value of an indexed field and a value of a counted one (a cluster and an
     * output_type, say); empty when the view keeps no such count (few entries: walking them is as cheap).
     */
    public OptionalLong count(FilterField indexed, Object value, FilterField counted, Object countedValue) {
        checkOpen();
        return view.count(indexed, value, counted, countedValue);
    }

    /** The entries with this value of an indexed field, in queue order. */
    public Iterator<Entry> matching(FilterField field, Object value) {
        checkOpen();
        return guarded(view.matching(field, value));
    }

    /** The entries in queue order from a 0-based offset. */
    public Iterator<Entry> from(long offset) {
        checkOpen();
        return guarded(view.from(offset));
    }

    /** The entries in queue order strictly after a place (queued there or not): where a page token continues. */
    public Iterator<Entry> after(OrderKey place) {
        checkOpen();
        return guarded(view.walkAfter(place));
    }

    /** The entries with this value of an indexed field strictly after a place, in queue order. */
    public Iterator<Entry> matchingAfter(FilterField field, Object value, OrderKey place) {
        checkOpen();
        return guarded(view.matchingAfter(field, value, place));
    }

    /**
     * The entries with every value of these filters (as {@link FilterField#of} gives them), in queue order: the index
     * of the driving one walked (null: the whole queue), from the head or strictly after a place (null: from the
     * head). The filters are checked before an entry is made, so a walk past many that do not match stays cheap.
     */
    public Iterator<Entry> matchingAll(FilterField driving, Object value, OrderKey after,
                                       Map<FilterField, Object> filters) {
        checkOpen();
        return guarded(view.walk(driving, value, after, filters));
    }

    /** How many entries come before this queued one. */
    public long ahead(Entry entry) {
        checkOpen();
        return view.ahead(entry);
    }

    /**
     * The queue's pace over the window that ends at now (epoch ms); null when it has not dispatched enough in it to
     * tell ({@link Dispatches#rate}).
     */
    public DispatchRate pace(long now) {
        checkOpen();
        return dispatches == null ? null : dispatches.rate(now);
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("a queue read of " + view.queue() + " used after its read lock was released");
        }
    }

    private Iterator<Entry> guarded(Iterator<Entry> walk) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                checkOpen();
                return walk.hasNext();
            }

            @Override
            public Entry next() {
                checkOpen();
                return walk.next();
            }
        };
    }
}
