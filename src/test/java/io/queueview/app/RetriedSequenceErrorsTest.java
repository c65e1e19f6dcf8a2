package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

/** The embedded broker's ERROR for a transactional batch that its producer retries is dropped; no other ERROR is. */
class RetriedSequenceErrorsTest {

    private static final String RETRIED = "Invalid sequence number for producer 2 at offset 8496 in partition"
            + " qv-queue-events-by-queue-repartition-2: 5 (incoming seq. number). Expected sequence 0 for transactions"
            + " v2 idempotent producer with no existing state.";

    private final LoggerContext context = new LoggerContext();
    private final LogOutput.RetriedSequenceErrors filter = new LogOutput.RetriedSequenceErrors();

    @Test
    void dropsTheBrokersErrorForABatchItsProducerRetries() {
        assertEquals(FilterReply.DENY, decide("kafka.server.ReplicaManager", Level.ERROR,
                new OutOfOrderSequenceException(RETRIED)));
    }

    @Test
    void keepsEveryOtherError() {
        assertEquals(FilterReply.NEUTRAL, decide("kafka.server.ReplicaManager", Level.ERROR,
                new OutOfOrderSequenceException("Out of order sequence number for producer 2: 7 (incoming), 3 (last)")));
        assertEquals(FilterReply.NEUTRAL, decide("kafka.server.ReplicaManager", Level.ERROR,
                new IllegalStateException(RETRIED)));
        assertEquals(FilterReply.NEUTRAL, decide("kafka.server.KafkaApis", Level.ERROR,
                new OutOfOrderSequenceException(RETRIED)));
    }

    private FilterReply decide(String logger, Level level, Throwable failure) {
        return filter.decide(null, context.getLogger(logger), level, "Error processing append operation", null, failure);
    }
}
