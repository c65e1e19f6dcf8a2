package io.queueview.http.peer;

/** Where a forwarded call's outcome is counted: answered (whatever the owner's status), unreachable, refused_loop. */
public interface ForwardOutcomes {

    void forwarded(String outcome, long nanos);
}
