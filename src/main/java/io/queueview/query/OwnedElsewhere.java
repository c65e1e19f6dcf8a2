package io.queueview.query;

/**
 * Another instance is the active owner of the queue's partition: the call belongs there. The HTTP layer forwards
 * it; the owner answers from its own view.
 */
public final class OwnedElsewhere extends RuntimeException {

    private final InstanceAddress owner;

    public OwnedElsewhere(InstanceAddress owner, String message) {
        super(message, null, false, false);
        this.owner = owner;
    }

    public InstanceAddress owner() {
        return owner;
    }
}
