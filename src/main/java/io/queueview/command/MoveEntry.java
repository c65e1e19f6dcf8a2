package io.queueview.command;

import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;

/** Move one entry of a queue (PUT .../queuing-jobs/{id}); requestedBy names the caller, for the audit trail. */
public record MoveEntry(String commandId, QueueId queue, long id, MoveOperation operation, String requestedBy)
        implements QueueCommand {

    /** A command of no known caller (tests, and records written before callers were named). */
    public MoveEntry(String commandId, QueueId queue, long id, MoveOperation operation) {
        this(commandId, queue, id, operation, UNKNOWN_CALLER);
    }
}
