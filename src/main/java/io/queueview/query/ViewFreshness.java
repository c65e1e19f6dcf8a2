package io.queueview.query;

import java.time.Instant;

/**
 * How fresh the view that answered is, for the queue's partition: the timestamp of the last record it applied (the
 * scheduler's event, or a command), and how many records of the partition it had not applied yet.
 *
 * @param appliedUntil null when the partition has applied nothing since this instance took it
 * @param lag          records of the partition's input behind the view, as of Kafka Streams' last look (-1: not
 *                     known)
 */
public record ViewFreshness(Instant appliedUntil, long lag) {
}
