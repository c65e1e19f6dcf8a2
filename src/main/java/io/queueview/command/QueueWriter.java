package io.queueview.command;

/** Submits a command to the queue it names and waits until the store that owns the queue has applied it. */
public interface QueueWriter {

    /**
     * @return what the projector did with the command
     * @throws io.queueview.query.QueueUnavailable when this instance cannot take writes for the queue now
     *         (nothing was submitted)
     * @throws CommandPending when the command was accepted but is not applied within the bounded wait
     */
    CommandOutcome submit(QueueCommand command);
}
