package io.queueview.store;

/**
 * For the benchmark that weighs the view in memory: entries put straight into a view, as the task's rebuild puts
 * them, without a Kafka Streams task around it (the view's mutators are the store package's own).
 */
public final class ViewFill {

    private final QueueViewStore view = QueueViewStore.builder("memory").build();

    /** Queues the entry; false when it replaced one with its id. */
    public boolean put(QueuedEntry queued) {
        return view.put(queued) == null;
    }
}
