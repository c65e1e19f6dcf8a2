package io.queueview.app;

import io.queueview.config.Settings;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the external topics queueview reads and writes when they are missing (topology/README.md), and checks
 * that queue-commands has the repartition topic's partition count, on which read-your-writes depends.
 */
final class Topics {

    private Topics() {
    }

    /** @throws KafkaUnreachable when the first call to the cluster fails: unreachable, credentials or permissions */
    static void ensure(Admin admin, Settings settings, String bootstrapServers)
            throws InterruptedException, ExecutionException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw KafkaUnreachable.explain(bootstrapServers, e.getCause());
        }
        Optional<Short> replication = settings.view().replicationFactor() == -1
                ? Optional.empty() : Optional.of(settings.view().replicationFactor());
        List<NewTopic> missing = List.of(settings.topics().events(), settings.topics().deadLetters(), settings.topics().changes(),
                        settings.topics().commands(), settings.topics().audit())
                .stream()
                .filter(name -> !existing.contains(name))
                .map(name -> new NewTopic(name, Optional.of(settings.view().partitions()), replication))
                .toList();
        if (!missing.isEmpty()) {
            CreateTopicsResult created = admin.createTopics(missing);
            for (NewTopic topic : missing) {
                try {
                    created.values().get(topic.name()).get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException) {
                        throw new IllegalStateException("topic " + topic.name() + " is missing and queueview may not"
                                + " create it: create it beforehand, or grant CREATE on TOPIC " + topic.name(), e);
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) { // another instance was quicker: fine
                        throw e;
                    }
                }
            }
        }
        int commandPartitions = partitionCount(admin, settings.topics().commands());
        if (commandPartitions != settings.view().partitions()) {
            throw new IllegalStateException("topic " + settings.topics().commands() + " has " + commandPartitions
                    + " partitions but QUEUEVIEW_PARTITIONS is " + settings.view().partitions()
                    + ": they must be equal (commands meet their queue's events in the same task)");
        }
    }

    /** A topic just created may be unknown to the broker that answers for a moment: asked again, for a while. */
    private static int partitionCount(Admin admin, String topic) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
