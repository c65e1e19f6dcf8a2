package io.queueview.command;

import io.queueview.queue.QueueId;
import java.util.List;

/** Give entries of a queue one priority, all or nothing (PUT .../queuing-jobs/batch-update). */
public record SetPriority(String commandId, QueueId queue, List<Long> ids, int priority) implements QueueCommand {

    public SetPriority {
        ids = List.copyOf(ids);
    }
}
