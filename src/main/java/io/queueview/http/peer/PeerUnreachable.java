package io.queueview.http.peer;

import io.queueview.query.InstanceAddress;
import java.io.IOException;

/** A forwarded call found no answer at the instance it went to: not connected, or no answer in time. */
public final class PeerUnreachable extends RuntimeException {

    private final InstanceAddress instance;
    private final boolean mayHaveApplied;

    PeerUnreachable(InstanceAddress instance, boolean mayHaveApplied, IOException cause) {
        super(instance + " cannot be reached", cause);
        this.instance = instance;
        this.mayHaveApplied = mayHaveApplied;
    }

    public InstanceAddress instance() {
        return instance;
    }

    /** A write that may have reached the instance before the failure: it may or may not have applied there. */
    public boolean mayHaveApplied() {
        return mayHaveApplied;
    }
}
