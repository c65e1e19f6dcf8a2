package io.queueview.store;

/**
 * For the benchmarks that weigh and query the view in memory: entries put straight into a view, as the task's
 * rebuild puts them, without a Kafka Streams task around it (the view's mutators are the store package's own).
 */
public final class ViewFill {

    private final QueueViewStore view = QueueViewStore.builder("memory").build();

    public ViewFill() {
        view.openDetached();
    }

    /** Queues the entry; false when it replaced one with its id. */
    public boolean put(QueuedEntry queued) {
        return view.put(queued) == null;
    }

    /** Queues the entry as a task's rebuild does (one queue's entries together, each id once): see {@link #loaded}. */
    public void load(QueuedEntry queued) {
        view.load(queued);
    }

    /** The last entry is loaded: every one is in its queue's order. */
    public void loaded() {
        view.loaded();
    }

    /** The view as queries read it. */
    public QueueViews views() {
        return view.readOnly();
    }
}
