package io.queueview.bench;

import io.queueview.query.Filters;
import io.queueview.queue.QueueId;

/**
 * One query of the benchmark's mix, as the API would receive it: a page of a queue with filters, or (when
 * positionOf is set) the position lookup of that entry id.
 */
record BenchQuery(String name, QueueId queue, Filters filters, int limit, int offset, Long positionOf) {

    static BenchQuery page(String name, QueueId queue, Filters filters, int offset) {
        return new BenchQuery(name, queue, filters, 10, offset, null);
    }

    static BenchQuery position(String name, QueueId queue, long id) {
        return new BenchQuery(name, queue, Filters.NONE, 0, 0, id);
    }
}
