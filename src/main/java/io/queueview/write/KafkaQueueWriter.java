package io.queueview.write;

import io.queueview.command.AppliedCommand;
import io.queueview.command.AuditJson;
import io.queueview.command.CommandJson;
import io.queueview.command.CommandOutcome;
import io.queueview.command.QueueCommand;
import io.queueview.command.RefusedWrite;
import io.queueview.query.LocalStores;
import io.queueview.query.QueueUnavailable;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import io.queueview.time.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes through Kafka, never around it: the command goes to queue-commands, into the partition of its queue
 * (owned by this instance), and the call waits — bounded — until the local store's position has passed the
 * command's offset, then reads the command's outcome (read-your-writes).
 */
public final class KafkaQueueWriter implements QueueWriter {

    private static final long LONGEST_PAUSE_MS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaQueueWriter.class);

    private final KafkaStreams streams;
    private final LocalStores stores;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String auditTopic;
    private final Duration wait;
    private final Ticker time;

    /**
     * @param topic the commands topic; auditTopic where refused write calls are recorded
     * @param time  what the wait for a command's outcome is measured on
     */
    public KafkaQueueWriter(KafkaStreams streams, LocalStores stores, Producer<byte[], byte[]> producer,
                            String topic, String auditTopic, Duration wait, Ticker time) {
        this.streams = streams;
        this.stores = stores;
        this.producer = producer;
        this.topic = topic;
        this.auditTopic = auditTopic;
        this.wait = wait;
        this.time = time;
    }

    /** Sent without waiting: the caller's answer (a refusal) does not depend on it; a failure is logged. */
    @Override
    public void refused(RefusedWrite refused) {
        byte[] key = (refused.projectId() == null ? "" : refused.projectId()).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(auditTopic, key, AuditJson.refused(refused)), (sent, failure) -> {
            if (failure != null) {
                LOG.warn("could not record a refused {} call on {}", refused.call(), auditTopic, failure);
            }
        });
    }

    @Override
    public CommandOutcome submit(QueueCommand command) {
        int partition = stores.partitionOf(command.queue()).partition();
        long deadline = time.nanoTime() + wait.toNanos();
        RecordMetadata sent = send(command, partition);
        StateQueryRequest<byte[]> request = StateQueryRequest.inStore(QueueStores.OUTCOMES)
                .withQuery(KeyQuery.<Bytes, byte[]>withKey(
                        Bytes.wrap(command.commandId().getBytes(StandardCharsets.UTF_8))))
                .withPartitions(Set.of(partition))
                .withPositionBound(PositionBound.at(
                        Position.emptyPosition().withComponent(topic, partition, sent.offset())));
        long pauseMs = 1;
        while (true) {
            QueryResult<byte[]> result;
            try {
                result = streams.query(request).getPartitionResults().get(partition);
            } catch (StreamsException rebalancing) { // e.g. not running for a moment: the command is still on its way
                result = null;
            }
            if (result != null && result.isSuccess() && result.getResult() != null) {
                return AppliedCommand.fromBytes(result.getResult()).outcome();
            }
            if (result != null && result.isFailure() && !retriable(result.getFailureReason())) {
                throw new QueueUnavailable("the store of queue " + command.queue() + " cannot be read now ("
                        + result.getFailureMessage() + ")");
            }
            if (time.nanoTime() > deadline) {
                throw new CommandPending("the command was accepted (" + topic + " partition " + partition
                        + " offset " + sent.offset() + ") but is not applied yet after " + wait.toMillis()
                        + " ms; it will apply in order — do not repeat it, list again shortly");
            }
            sleep(pauseMs);
            pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
        }
    }

    /** Not yet there, or the store is moving between instances: worth another look until the deadline. */
    private static boolean retriable(FailureReason reason) {
        return reason == FailureReason.NOT_UP_TO_BOUND || reason == FailureReason.NOT_ACTIVE
                || reason == FailureReason.NOT_PRESENT;
    }

    private RecordMetadata send(QueueCommand command, int partition) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition,
                QueueKeys.queue(command.queue()), CommandJson.encode(command));
        try {
            return producer.send(record).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // not acknowledged: it may or may not be on the topic, so say neither "done" nor "nothing happened"
            throw new KafkaUnavailable("Kafka did not acknowledge the command within " + wait.toMillis()
                    + " ms (is the broker reachable?); list the queue to see whether it applied", e);
        } catch (ExecutionException e) {
            throw new KafkaUnavailable("Kafka refused the command (" + e.getCause().getMessage()
                    + "); list the queue to see whether it applied", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandPending("interrupted while submitting the command");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandPending("interrupted while waiting for the command to apply");
        }
    }
}
