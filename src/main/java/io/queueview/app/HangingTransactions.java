package io.queueview.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts hanging transactions on the partitions queueview's transactions write and it reads (and on its
 * group's offsets partition, where Kafka Streams commits offsets inside its transactions): a transaction
 * still open on a partition although its coordinator no longer counts that partition in any open transaction of
 * the producer (KIP-664's "hanging transaction"). Its abort marker was lost, so it holds the partition's last stable
 * offset for good and every read_committed reader — a restoring store, the projector, the change feed — stops there.
 * <p>
 * Seen after {@code kill -9} of the single process: the restarted broker's coordinator resends the killed producers'
 * markers while the restarting controller fences the dead broker incarnation; for that moment the partitions have no
 * reachable leader, which Kafka's marker sender takes for a deleted topic, so it skips their markers and completes the
 * transaction (docs/operations.md, Scaling out, "After a crash"). A partition is only taken for hanging when two checks in a row find the same open transaction
 * unknown to the coordinator (a commit whose markers are in flight may look so for an instant); then it is aborted
 * with the admin API, which needs the ClusterAction permission — without it, the log says what to run instead.
 * Thread-safe: {@link #check} runs on one thread at a time, {@link #held} may be called from any.
 */
final class HangingTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);
    private static final Set<TransactionState> OPEN = EnumSet.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    /** A transaction open on one partition since startOffset, of one producer at one epoch. */
    record OpenTransaction(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch,
                           long startOffset) {

        String describe() {
            return partition + "'s last stable offset is held at " + startOffset + " by a transaction of producer "
                    + producerId + " (epoch " + producerEpoch + ") that its coordinator no longer tracks";
        }
    }

    private final Admin admin;
    private final Predicate<String> ours;
    private final String group;
    private Set<OpenTransaction> suspects = Set.of();
    /** Confirmed hanging and not aborted (no permission, or the abort failed): what readiness reports. */
    private final Set<OpenTransaction> held = ConcurrentHashMap.newKeySet();
    private final Set<OpenTransaction> reported = new HashSet<>();

    /**
     * @param ours  which topics' partitions to watch
     * @param group the consumer group whose offsets Kafka Streams commits in its transactions: a hanging one on the
     *              group's __consumer_offsets partition holds back every committed offset of its producer's tasks
     *              (the fetch waits for stable offsets), so those tasks never start
     */
    HangingTransactions(Admin admin, Predicate<String> ours, String group) {
        this.admin = admin;
        this.ours = ours;
        this.group = group;
    }

    /** The hanging transactions found and not (yet) aborted. */
    List<OpenTransaction> held() {
        return List.copyOf(held);
    }

    /** One round: finds open transactions the coordinator does not track; aborts those found in two rounds in a row. */
    void check() throws InterruptedException {
        try {
            Set<OpenTransaction> unknown = unknownToCoordinator(openTransactions());
            for (OpenTransaction hanging : unknown) {
                if (suspects.contains(hanging)) {
                    abort(hanging);
                }
            }
            held.retainAll(unknown);
            reported.retainAll(unknown);
            suspects = unknown;
        } catch (ExecutionException e) {
            // the broker is restarting, or a topic is being created: the next round asks again
            LOG.debug("could not look for hanging transactions", e);
        }
    }

    private List<OpenTransaction> openTransactions() throws ExecutionException, InterruptedException {
        Set<String> topics = new HashSet<>(admin.listTopics().names().get());
        topics.removeIf(ours.negate());
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        groupOffsetsPartition().ifPresent(partitions::add);
        List<OpenTransaction> open = new ArrayList<>();
        DescribeProducersResult producers = admin.describeProducers(partitions);
        for (TopicPartition partition : partitions) {
            PartitionProducerState state;
            try {
                state = producers.partitionResult(partition).get();
            } catch (ExecutionException e) {
                continue; // moving, or being created: the next round looks again
            }
            for (ProducerState producer : state.activeProducers()) {
                if (producer.currentTransactionStartOffset().isPresent()) {
                    open.add(new OpenTransaction(partition, producer.producerId(), producer.producerEpoch(),
                            producer.coordinatorEpoch().orElse(-1), producer.currentTransactionStartOffset().getAsLong()));
                }
            }
        }
        return open;
    }

    /** The group's __consumer_offsets partition (the group coordinator's choice), unless queueview may not see it. */
    private Optional<TopicPartition> groupOffsetsPartition() throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames().get()
                    .get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
            return Optional.of(new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME,
                    Utils.abs(group.hashCode()) % partitions));
        } catch (ExecutionException notAllowed) { // a secured cluster grants no DESCRIBE on it
            return Optional.empty();
        }
    }

    /** Those the coordinator of their producer does not count as open on their partition. */
    private Set<OpenTransaction> unknownToCoordinator(List<OpenTransaction> open)
            throws ExecutionException, InterruptedException {
        if (open.isEmpty()) {
            return Set.of();
        }
        Set<Long> producers = new HashSet<>();
        open.forEach(transaction -> producers.add(transaction.producerId()));
        Map<Long, Set<TopicPartition>> openOnCoordinator = new HashMap<>();
        Collection<TransactionListing> listings = admin.listTransactions(new ListTransactionsOptions()
                .filterProducerIds(producers)).all().get();
        List<String> ids = listings.stream().map(TransactionListing::transactionalId).toList();
        if (!ids.isEmpty()) {
            for (TransactionDescription transaction : admin.describeTransactions(ids).all().get().values()) {
                if (OPEN.contains(transaction.state())) {
                    openOnCoordinator.computeIfAbsent(transaction.producerId(), id -> new HashSet<>())
                            .addAll(transaction.topicPartitions());
                }
            }
        }
        Set<OpenTransaction> unknown = new HashSet<>();
        for (OpenTransaction transaction : open) {
            if (!openOnCoordinator.getOrDefault(transaction.producerId(), Set.of()).contains(transaction.partition())) {
                unknown.add(transaction);
            }
        }
        return unknown;
    }

    private void abort(OpenTransaction hanging) throws InterruptedException {
        try {
            admin.abortTransaction(new AbortTransactionSpec(hanging.partition(), hanging.producerId(),
                    (short) hanging.producerEpoch(), hanging.coordinatorEpoch())).all().get();
            held.remove(hanging);
            LOG.warn("{}: a hanging transaction (KIP-664); aborted it", hanging.describe());
        } catch (ExecutionException e) {
            held.add(hanging);
            if (reported.add(hanging)) {
                String instead = e.getCause() instanceof ClusterAuthorizationException
                        ? "queueview may not abort it (no ClusterAction permission); abort it with: kafka-transactions.sh"
                        + " --bootstrap-server ... abort --topic " + hanging.partition().topic() + " --partition "
                        + hanging.partition().partition() + " --start-offset " + hanging.startOffset()
                        : "its abort failed; queueview tries again";
                LOG.error("{}: a hanging transaction (KIP-664); {}", hanging.describe(), instead, e.getCause());
            }
        }
    }
}
