package io.queueview.query;

import io.queueview.queue.QueueId;

/** One list call, validated: a queue, its filters and the page wanted (limit 1..200, offset >= 0). */
public record ListQuery(QueueId queue, Filters filters, int limit, int offset) {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 200;

    public ListQuery {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw new IllegalArgumentException("limit " + limit + " or offset " + offset + " out of range");
        }
    }
}
