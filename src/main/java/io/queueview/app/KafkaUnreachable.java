package io.queueview.app;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * queueview's first call to its Kafka cluster failed; the message says why in a user's words: nothing answered in
 * time (wrong address, or a client speaking another security protocol than the listener), the credentials were
 * refused, or a permission is missing. Kafka's own exception is the cause.
 */
final class KafkaUnreachable extends RuntimeException {

    private KafkaUnreachable(String message, Throwable cause) {
        super(message, cause);
    }

    static KafkaUnreachable explain(String bootstrapServers, Throwable failure) {
        String reason;
        if (failure instanceof SslAuthenticationException) {
            reason = "the TLS handshake failed (a certificate not trusted, expired or refused; QUEUEVIEW_KAFKA_CONFIG's"
                    + " ssl.* settings): " + failure.getMessage();
        } else if (failure instanceof AuthenticationException) {
            reason = "the cluster refused queueview's credentials (QUEUEVIEW_KAFKA_CONFIG): " + failure.getMessage();
        } else if (failure instanceof AuthorizationException) {
            reason = "a permission is missing (see the ACL list in docs/kafka-security.md): " + failure.getMessage();
        } else if (failure instanceof TimeoutException) {
            reason = "no broker answered in time: check QUEUEVIEW_KAFKA_BOOTSTRAP, and that security.protocol in"
                    + " QUEUEVIEW_KAFKA_CONFIG is the listener's (a client of another protocol waits like this)";
        } else {
            reason = failure.toString();
        }
        return new KafkaUnreachable("Kafka at " + bootstrapServers + ": " + reason, failure);
    }
}
