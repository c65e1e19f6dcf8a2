package io.queueview.app;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private final AtomicLong now = new AtomicLong();
    private final StreamThreadFailures failures = new StreamThreadFailures(now::get);

    @Test
    void aTransactionAbortedWhileABrokerFailedOverReplacesTheThread() {
        assertEquals(REPLACE_THREAD, failures.respond(new StreamsException(new InvalidTxnStateException(
                "the transaction was aborted by its coordinator"))));
    }

    @Test
    void aRefusedPermissionOrCredentialStopsTheViewWhereverItSitsInTheCauses() {
        assertEquals(SHUTDOWN_CLIENT, failures.respond(new StreamsException(new StreamsException(
                new TopicAuthorizationException("Not authorized to access topics: [queue-events]")))));
        assertEquals(SHUTDOWN_CLIENT, failures.respond(new SaslAuthenticationException("invalid credentials")));
    }

    @Test
    void aThreadThatKeepsFailingStopsTheViewAndAQuietMinuteStartsTheCountAgain() {
        for (int i = 0; i < StreamThreadFailures.MOST_REPLACEMENTS; i++) {
            assertEquals(REPLACE_THREAD, failures.respond(new StreamsException("broken " + i)), "replacement " + i);
            now.addAndGet(1_000_000_000L);
        }
        assertEquals(SHUTDOWN_CLIENT, failures.respond(new StreamsException("once more within the minute")));
        now.addAndGet(StreamThreadFailures.WINDOW_NANOS);
        assertEquals(REPLACE_THREAD, failures.respond(new StreamsException("after a quiet minute")));
    }
}
