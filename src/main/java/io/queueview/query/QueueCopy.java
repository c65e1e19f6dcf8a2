package io.queueview.query;

import io.queueview.store.QueueViews;

/**
 * A queue as a copy of its partition's stores here holds it — a standby's, or an active task's still being
 * restored — for reads while no active view can answer: such an answer is stale by up to lag records.
 *
 * @param views the queue's view, built from the copy
 * @param lag   records of the partition's changelog the copy has not applied yet, as last seen
 */
public record QueueCopy(QueueViews views, long lag) {
}
