package io.queueview.http.peer;

/** Where a forwarded call's outcome is counted: answered (whatever the status there), or unreachable. */
public interface ForwardOutcomes {

    void forwarded(String outcome, long nanos);
}
