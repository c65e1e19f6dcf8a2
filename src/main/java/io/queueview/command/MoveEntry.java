package io.queueview.command;

import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;

/** Move one entry of a queue (PUT .../queuing-jobs/{id}). */
public record MoveEntry(String commandId, QueueId queue, long id, MoveOperation operation) implements QueueCommand {
}
