package io.queueview.command;

import io.queueview.queue.QueueId;
import java.util.List;

/**
 * Give entries of a queue one priority, all or nothing (PUT .../queuing-jobs/batch-update); requestedBy names the
 * caller, for the audit trail.
 */
public record SetPriority(String commandId, QueueId queue, List<Long> ids, int priority, String requestedBy)
        implements QueueCommand {

    public SetPriority {
        ids = List.copyOf(ids);
    }

    /** A command of no known caller (tests, and records written before callers were named). */
    public SetPriority(String commandId, QueueId queue, List<Long> ids, int priority) {
        this(commandId, queue, ids, priority, UNKNOWN_CALLER);
    }
}
