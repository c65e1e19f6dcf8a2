package io.queueview.store;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * The counts of a partition's queues, in memory and without a changelog: derived from the entries, so the
 * projector counts them anew whenever its task starts. About ten counts change with every event; kept as
 * RocksDB read-modify-writes they took a third of the projector's time, as a sorted map of byte keys a gigabyte of
 * heap. Read by totals (per filter value) and by offsets and positions (per priority and rank_stamp block).
 */
public final class QueueCountsStore implements StateStore {

    /** For interactive queries: {@code StoreQueryParameters.fromNameAndType(name, QueueCountsStore.TYPE)}. */
    public static final QueryableStoreType<QueueCountsStore> TYPE = new QueryableStoreType<>() {
        @Override
        public boolean accepts(StateStore store) {
            return store instanceof QueueCountsStore;
        }

        @Override
        public QueueCountsStore create(StateStoreProvider provider, String storeName) {
            List<QueueCountsStore> stores = provider.stores(storeName, this);
            if (stores.size() != 1) {
                throw new InvalidStateStoreException("expected one " + storeName + " store, found " + stores.size()
                        + ": ask for one partition");
            }
            return stores.get(0);
        }
    };

    private final String name;
    private final Map<QueueId, QueueTally> tallies = new ConcurrentHashMap<>();
    private volatile boolean open;

    private QueueCountsStore(String name) {
        this.name = name;
    }

    public static StoreBuilder<QueueCountsStore> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<QueueCountsStore> withCachingEnabled() {
                throw new UnsupportedOperationException("the counts store has no record cache");
            }

            @Override
            public StoreBuilder<QueueCountsStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<QueueCountsStore> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("the counts store is derived: it has no changelog");
            }

            @Override
            public StoreBuilder<QueueCountsStore> withLoggingDisabled() {
                return this;
            }

            @Override
            public QueueCountsStore build() {
                return new QueueCountsStore(name);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    // ---- writes: the projector ----

    /** Counts an entry in (delta 1) or out (delta -1). */
    public void add(Entry entry, long delta) {
        QueueTally tally = tallies.computeIfAbsent(entry.queue(), queue -> new QueueTally());
        tally.add(entry, delta);
        if (delta < 0 && tally.isEmpty()) {
            tallies.remove(entry.queue());
        }
    }

    public void clear() {
        tallies.clear();
    }

    // ---- reads: the query side ----

    /** How many of the queue's entries have this value of a counted field. */
    public long count(QueueId queue, FilterField field, String value) {
        return tally(queue).map(tally -> tally.count(field, value)).orElse(0L);
    }

    /**
     * A place in queue order: a priority, the first rank_stamp of a block, and how many entries of that block come
     * before it.
     */
    public record Spot(int priority, long blockStart, long withinBlock) {
    }

    /** How many of the queue's entries have both values; the fields must be counted together. */
    public long count(QueueId queue, FilterField field, String value, FilterField other, String otherValue) {
        if (!field.countedWith(other)) {
            throw new IllegalArgumentException(field + " and " + other + " are not counted together");
        }
        return tally(queue).map(tally -> tally.count(field, value, other, otherValue)).orElse(0L);
    }

    /** Where the entry at a 0-based offset in queue order lies; empty when the queue is shorter. */
    public Optional<Spot> spotOf(QueueId queue, long offset) {
        return tally(queue).map(tally -> tally.spotOf(offset));
    }

    /** Entries of the queue at a higher priority, and at this priority in earlier rank_stamp blocks. */
    public long aheadOfBlock(QueueId queue, int priority, long rankStamp) {
        return tally(queue).map(tally -> tally.aheadOfBlock(priority, rankStamp)).orElse(0L);
    }

    private Optional<QueueTally> tally(QueueId queue) {
        if (!open) {
            throw new InvalidStateStoreException("store " + name + " is closed");
        }
        return Optional.ofNullable(tallies.get(queue));
    }

    // ---- the state store's life ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException("the counts store has no changelog to restore from");
        });
        open = true;
    }

    @Override
    public void flush() {
        // in memory only: nothing to write
    }

    @Override
    public void close() {
        open = false;
        tallies.clear();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
