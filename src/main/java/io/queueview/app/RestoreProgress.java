package io.queueview.app;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The stores Kafka Streams is putting back from their changelogs, each with how far it has come: what a start that
 * waits reports. Called by Kafka Streams' restoring threads, read by any.
 */
final class RestoreProgress implements StateRestoreListener {

    /** One changelog partition being read back into its store: records from start to end, restored of them. */
    record Restoring(TopicPartition changelog, String store, long start, long end, long restored) {

        String describe() {
            return changelog + " (store " + store + "): " + restored + " of " + Math.max(0, end - start) + " records";
        }
    }

    private final Map<TopicPartition, Restoring> restoring = new ConcurrentHashMap<>();

    /** The changelog partitions being restored now, by name. */
    List<Restoring> restoring() {
        return restoring.values().stream().sorted(Comparator.comparing(r -> r.changelog().toString())).toList();
    }

    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startOffset, long endOffset) {
        restoring.put(changelog, new Restoring(changelog, store, startOffset, endOffset, 0));
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long restored) {
        restoring.computeIfPresent(changelog, (partition, known) -> new Restoring(partition, store, known.start(),
                known.end(), known.restored() + restored));
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(changelog);
    }

    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        restoring.remove(changelog);
    }
}
