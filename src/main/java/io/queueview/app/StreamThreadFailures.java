package io.queueview.app;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What a failed stream thread means. A refused permission or credential stops the view for good: no new thread
 * would be let in, and the process exits saying which (docs/kafka-security.md). Anything else is replaced by a new
 * thread, as a broker failing over causes: a transaction the coordinator aborted while its leader moved
 * (InvalidTxnStateException), a fenced producer, a timeout. A thread that keeps failing — more than
 * {@link #MOST_REPLACEMENTS} replacements within {@link #WINDOW_NANOS} — stops the view too, so that a supervisor
 * sees the process exit rather than a loop.
 */
final class StreamThreadFailures {

    static final int MOST_REPLACEMENTS = 5;
    static final long WINDOW_NANOS = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private final Deque<Long> replacedAt = new ArrayDeque<>();

    StreamThreadFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    synchronized StreamThreadExceptionResponse respond(Throwable failure) {
        if (refusedAccess(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = nanoTime.getAsLong();
        while (!replacedAt.isEmpty() && now - replacedAt.peekFirst() > WINDOW_NANOS) {
            replacedAt.removeFirst();
        }
        if (replacedAt.size() >= MOST_REPLACEMENTS) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacedAt.addLast(now);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private static boolean refusedAccess(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
                return true;
            }
        }
        return false;
    }
}
