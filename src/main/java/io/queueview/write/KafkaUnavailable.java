package io.queueview.write;

/**
 * Kafka did not acknowledge a command in time, or refused it: the broker is unreachable or failing. Unlike
 * {@link CommandPending}, nobody knows whether the command is on the topic; the cause says what the client saw.
 */
public final class KafkaUnavailable extends RuntimeException {

    public KafkaUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
