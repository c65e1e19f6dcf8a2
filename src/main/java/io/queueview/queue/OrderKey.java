package io.queueview.queue;

/**
 * A place in queue order — (priority, rank_stamp, id), ordered as {@link Entry#QUEUE_ORDER} orders entries —
 * whether or not an entry is queued there: where a page continues, after the last entry of the page before.
 */
public record OrderKey(int priority, long rankStamp, long id) {

    public static OrderKey of(Entry entry) {
        return new OrderKey(entry.priority(), entry.rankStamp(), entry.id());
    }

    /** True when the entry comes after this place in queue order. */
    public boolean isBefore(Entry entry) {
        if (priority != entry.priority()) {
            return priority > entry.priority();
        }
        if (rankStamp != entry.rankStamp()) {
            return rankStamp < entry.rankStamp();
        }
        return id < entry.id();
    }
}
