package io.queueview.event;

/**
 * A record that breaks the event contract. Thrown by {@link EventParser}; the topology sends the record to the
 * dead-letter topic with {@link #getMessage()} as the reason and goes on. Never worth a retry.
 */
public final class ContractViolation extends Exception {

    /** What kind of break: few enough to count dead letters by it (the message says exactly what). */
    public enum Kind {
        /** no value, ill-formed UTF-8, not one JSON object, duplicate keys, data behind the object */
        UNREADABLE,
        /** more bytes than an event may have */
        TOO_LARGE,
        /** an event_type the contract does not name */
        UNKNOWN_EVENT_TYPE,
        /** a required field is absent or null */
        MISSING_FIELD,
        /** a field of the wrong type or out of its range */
        INVALID_FIELD
    }

    private final Kind kind;

    public ContractViolation(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
