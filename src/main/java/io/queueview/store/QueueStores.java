package io.queueview.store;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Names of the projector's state stores: shared by the topology, the query side and the tests. */
public final class QueueStores {

    /** (queue, id) → {@link QueuedEntry}: every queued entry with its version; what the view is rebuilt from. */
    public static final String ENTRIES = "queued-entries";
    /** (queue, id) → {@link RemovalMarker}: versions of removed entries, until they expire. */
    public static final String MARKERS = "queue-removal-markers";
    /** Queue → {@link QueueCounters}. */
    public static final String COUNTERS = "queue-counters";
    /** Command id → {@link AppliedCommand}: what became of a command, for its caller; kept for a while. */
    public static final String OUTCOMES = "queue-command-outcomes";
    /** Per queue and minute of record time its dispatches, times in queue and depth, 24 h: {@link WaitHistory}. */
    public static final String WAITS = "queue-wait-stats";
    /** The queues in memory, in queue order with their indexes and counts: {@link QueueViewStore}. */
    public static final String VIEW = "queue-view";

    public static final String[] ALL = {ENTRIES, MARKERS, COUNTERS, OUTCOMES, WAITS, VIEW};

    /**
     * The per-queue counters and the current minute of each queue's wait statistics: a few hot keys, so the record
     * cache folds their updates before the changelog (and an entry's enqueue time, written and deleted within a
     * commit, never reaches it).
     */
    public static final Set<String> CACHED = Set.of(COUNTERS, WAITS);

    /** The stores of byte keys and values, in RocksDB with a changelog: all but the view. */
    public static final List<String> KEY_VALUE = Arrays.stream(ALL).filter(name -> !name.equals(VIEW)).toList();

    private QueueStores() {
    }
}
