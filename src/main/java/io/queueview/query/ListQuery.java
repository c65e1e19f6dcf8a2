package io.queueview.query;

import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;

/**
 * One list call, validated: a queue, its filters and the page wanted (limit 1..200), from an offset (>= 0) or, with
 * a page token, strictly after a place in queue order (then offset is 0).
 *
 * @param after null, or the place of the last entry of the page before: the page continues after it
 */
public record ListQuery(QueueId queue, Filters filters, int limit, int offset, OrderKey after) {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 200;

    public ListQuery {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw new IllegalArgumentException("limit " + limit + " or offset " + offset + " out of range");
        }
        if (after != null && offset != 0) {
            throw new IllegalArgumentException("a page starts at an offset or after a place, not both");
        }
    }

    /** From an offset. */
    public ListQuery(QueueId queue, Filters filters, int limit, int offset) {
        this(queue, filters, limit, offset, null);
    }
}
