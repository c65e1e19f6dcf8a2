package io.queueview.write;

/**
 * A command that was accepted (it is on the queue-commands topic and will apply in order) but was not applied
 * within the wait: the caller's next list may not show it yet. Retrying the call would apply it twice.
 */
public final class CommandPending extends RuntimeException {

    public CommandPending(String message) {
        super(message, null, false, false);
    }
}
