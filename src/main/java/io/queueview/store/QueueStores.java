package io.queueview.store;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Names of the projector's state stores: shared by the topology, the query side and the tests. */
public final class QueueStores {

    /** Order key → entry: one queue is one key range, already in queue order. */
    public static final String ENTRIES = "queue-entries";
    /** (queue, id) → {@link EntryPlace}: finds a queued entry without a scan. */
    public static final String INDEX = "queue-entry-index";
    /** (queue, id) → {@link RemovalMarker}: versions of removed entries, until they expire. */
    public static final String MARKERS = "queue-removal-markers";
    /** Queue → {@link QueueCounters}. */
    public static final String COUNTERS = "queue-counters";
    /** Command id → {@link AppliedCommand}: what became of a command, for its caller; kept for a while. */
    public static final String OUTCOMES = "queue-command-outcomes";

    /** (queue, field, value, order suffix) → entry: each filter value's entries in queue order (covering). */
    public static final String FILTER_INDEX = "queue-filter-index";
    /** Counts per queue, filter value, priority and rank_stamp block, in memory: {@link QueueCountsStore}. */
    public static final String COUNTS = "queue-counts";

    public static final String[] ALL = {ENTRIES, INDEX, MARKERS, COUNTERS, OUTCOMES, FILTER_INDEX, COUNTS};

    /**
     * The per-queue counters: a few hot keys, so the record cache folds their many updates before the changelog.
     * Not the derived counts: they have no changelog, and a profile showed the cache costing more than it saved.
     */
    public static final Set<String> CACHED = Set.of(COUNTERS);

    /**
     * Stores derived from the entries alone: no changelog (they would multiply what every event writes to Kafka);
     * the projector rebuilds them from the entries when a task starts without them.
     */
    public static final Set<String> DERIVED = Set.of(FILTER_INDEX, COUNTS);

    /** The stores of byte keys and values, in RocksDB; all but the counts. */
    public static final List<String> KEY_VALUE = Arrays.stream(ALL).filter(name -> !name.equals(COUNTS)).toList();

    private QueueStores() {
    }
}
