package io.queueview.write;

import io.queueview.command.CommandOutcome;
import io.queueview.command.QueueCommand;
import io.queueview.command.RefusedWrite;

/** Submits a command to the queue it names and waits until the store that owns the queue has applied it. */
public interface QueueWriter {

    /**
     * @return what the projector did with the command
     * @throws io.queueview.query.QueueUnavailable when this instance cannot take writes for the queue now
     *         (nothing was submitted)
     * @throws CommandPending when the command was accepted but is not applied within the bounded wait
     * @throws KafkaUnavailable when Kafka did not acknowledge the command: whether it applies is unknown
     */
    CommandOutcome submit(QueueCommand command);

    /**
     * Records on the audit trail a write call refused before it became a command (a command's own outcome is
     * recorded where it applies). Writers that keep no trail, as in tests of other things, ignore it.
     */
    default void refused(RefusedWrite refused) {
    }
}
