package io.queueview.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What a view that is not ready waits for, in words: Kafka Streams' state, the changelogs still being restored
 * (records restored of how many) and any last stable offset held by a hanging transaction. /health/ready answers
 * it, and the log repeats it every 10 s until the view is ready.
 */
final class StartProgress {

    private final KafkaStreams streams;
    private final RestoreProgress restores;
    private final HangingTransactions hanging;

    StartProgress(KafkaStreams streams, RestoreProgress restores, HangingTransactions hanging) {
        this.streams = streams;
        this.restores = restores;
        this.hanging = hanging;
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("Kafka Streams is " + streams.state().name().toLowerCase(Locale.ROOT));
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
