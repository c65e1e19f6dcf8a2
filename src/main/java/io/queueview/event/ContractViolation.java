package io.queueview.event;

/**
 * A record that breaks the event contract. Thrown by {@link EventParser}; the topology sends the record to the
 * dead-letter topic with {@link #getMessage()} as the reason and goes on. Never worth a retry.
 */
public final class ContractViolation extends Exception {

    public ContractViolation(String reason) {
        super(reason, null, false, false);
    }
}
