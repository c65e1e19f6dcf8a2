package io.queueview.http.sse;

import io.queueview.queue.QueueId;
import java.util.Optional;

/** Where an entry stands now, by the position call's logic; empty when it is not queued there. */
@FunctionalInterface
public interface EntryPositions {

    /** @throws RuntimeException when it cannot be told now (the queue's view is moving): a watch asks again later */
    Optional<WatchedPosition> of(QueueId queue, long id);
}
