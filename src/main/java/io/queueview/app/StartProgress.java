package io.queueview.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * What a view that is not ready waits for, in words: Kafka Streams' state, the changelogs still being restored
 * (records restored of how many) and any last stable offset held by a hanging transaction. /health/ready answers
 * it, and the log repeats it every 10 s until the view is ready.
 */
final class StartProgress {

    private final KafkaStreams streams;
    private final String applicationId;
    private final RestoreProgress restores;
    private final HangingTransactions hanging;
    private volatile String stopped;

    StartProgress(KafkaStreams streams, String applicationId, RestoreProgress restores, HangingTransactions hanging) {
        this.streams = streams;
        this.applicationId = applicationId;
        this.restores = restores;
        this.hanging = hanging;
    }

    /**
     * A stream thread failed for good: the view will not become ready, and says why — Kafka Streams' words and its
     * root cause's, and for a refused transactional id (whose message names none) the ACL it lacks.
     */
    void stopped(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getClass().getSimpleName() + ": " + root.getMessage();
        if (root != failure && failure.getMessage() != null && !failure.getMessage().contains(root.getMessage())) {
            why = failure.getMessage() + " (" + why + ")";
        }
        if (root instanceof TransactionalIdAuthorizationException) {
            why += "; queueview needs WRITE on TRANSACTIONAL_ID prefixed '" + applicationId + "-'";
        }
        stopped = why;
    }

    Optional<String> stopped() {
        return Optional.ofNullable(stopped);
    }

    String describe() {
        if (stopped != null) {
            return "the view stopped: " + stopped;
        }
        List<String> parts = new ArrayList<>();
        parts.add("Kafka Streams is " + streams.state().name().toLowerCase(Locale.ROOT));
        if (streams.state() == KafkaStreams.State.REBALANCING) { // which thread, with which tasks, is not running yet
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                if (!"RUNNING".equals(thread.threadState())) {
                    parts.add(thread.threadName().replaceFirst(".*-(StreamThread-\\d+)$", "$1") + " is "
                            + thread.threadState().toLowerCase(Locale.ROOT) + " with tasks " + thread.activeTasks().stream()
                            .map(task -> task.taskId().toString()).sorted().toList());
                }
            }
        }
        List<RestoreProgress.Restoring> restoring = restores.restoring();
        if (!restoring.isEmpty()) {
            parts.add("restoring " + restoring.stream().map(RestoreProgress.Restoring::describe)
                    .collect(Collectors.joining(", ")));
        }
        hanging.held().forEach(transaction -> parts.add(transaction.describe()));
        return String.join("; ", parts);
    }

    boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }
}
