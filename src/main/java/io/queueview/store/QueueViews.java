package io.queueview.store;

import io.queueview.queue.QueueId;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The queues of one partition as interactive queries see them: read-only, one queue at a time, under its read
 * lock. This is what {@link QueueViewStore#TYPE} hands the query side; the store itself, with its writes, stays
 * with the stream thread.
 */
public interface QueueViews {

    /**
     * Runs a query on one queue (an empty one when nothing is queued there) under the queue's read lock; the
     * {@link LockedQueue} is valid only until the query returns.
     *
     * @throws InvalidStateStoreException when the store is closed: its partition is moving to another instance
     */
    <T> T read(QueueId queue, Function<LockedQueue, T> query);

    /** How much each non-empty queue of the partition holds (nothing while the view is rebuilt): for metrics. */
    Map<QueueId, QueueDepth> depths();

    /** The timestamp (epoch ms) of the last record the partition's task applied; empty before the first. */
    OptionalLong appliedUntil();
}
