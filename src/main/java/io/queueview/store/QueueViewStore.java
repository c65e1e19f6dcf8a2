package io.queueview.store;

import io.queueview.queue.QueueId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * The queues of a partition in memory ({@link QueueView}), as the API reads them: derived from the entries store,
 * without a changelog, so the projector puts every entry back when its task starts (Kafka Streams runs the
 * processor's init after restoring the task's logged stores). Held in memory because every event changes about ten
 * index and count positions: as RocksDB writes through the Streams store wrappers they took most of the projector's
 * time, and a read from memory needs no decoding.
 */
public final class QueueViewStore implements StateStore {

    /**
     * For interactive queries, {@code StoreQueryParameters.fromNameAndType(name, QueueViewStore.TYPE)}: the
     * read-only {@link QueueViews} of one partition, never the store.
     */
    public static final QueryableStoreType<QueueViews> TYPE = new QueryableStoreType<>() {
        @Override
        public boolean accepts(StateStore store) {
            return store instanceof QueueViewStore;
        }

        @Override
        public QueueViews create(StateStoreProvider provider, String storeName) {
            List<QueueViewStore> stores = provider.stores(storeName, ITSELF);
            if (stores.size() != 1) {
                throw new InvalidStateStoreException("expected one " + storeName + " store, found " + stores.size()
                        + ": ask for one partition");
            }
            return stores.get(0).readOnly();
        }
    };

    /** How {@link #TYPE} finds the store behind the facade it hands out. */
    private static final QueryableStoreType<QueueViewStore> ITSELF = new QueryableStoreType<>() {
        @Override
        public boolean accepts(StateStore store) {
            return store instanceof QueueViewStore;
        }

        @Override
        public QueueViewStore create(StateStoreProvider provider, String storeName) {
            throw new UnsupportedOperationException("query the view through QueueViewStore.TYPE");
        }
    };

    private final String name;
    private final Map<QueueId, QueueView> views = new ConcurrentHashMap<>();
    /** Kept apart from the views: a queue that empties keeps its pace. */
    private final Map<QueueId, Dispatches> dispatches = new ConcurrentHashMap<>();
    /** Replaced, not emptied, when the view is dropped: a query still reading the old queues keeps their texts. */
    private volatile TextCodes codes = new TextCodes();
    private volatile boolean open;
    /** Set once the projector has put every stored entry back; until then a read would see part of a queue. */
    private volatile boolean complete;
    /** The queue whose entries a rebuild is loading ({@link #load}); the stream thread's. */
    private QueueView loading;
    /** Epoch ms of the last record applied to this partition, or NOTHING_APPLIED. */
    private volatile long appliedUntil = NOTHING_APPLIED;
    private static final long NOTHING_APPLIED = Long.MIN_VALUE;
    private final QueueViews readOnly = new QueueViews() {
        @Override
        public <T> T read(QueueId queue, Function<LockedQueue, T> query) {
            return QueueViewStore.this.read(queue, query);
        }

        @Override
        public Map<QueueId, QueueDepth> depths() {
            Map<QueueId, QueueDepth> depths = new HashMap<>();
            if (open && complete) {
                views.forEach((queue, view) -> view.read(null, read -> read.oldestRankStamp().stream()
                        .mapToObj(oldest -> new QueueDepth(read.size(), oldest)).findFirst())
                        .ifPresent(depth -> depths.put(queue, depth)));
            }
            return depths;
        }

        @Override
        public OptionalLong appliedUntil() {
            long until = appliedUntil;
            return until == NOTHING_APPLIED ? OptionalLong.empty() : OptionalLong.of(until);
        }
    };

    private QueueViewStore(String name) {
        this.name = name;
    }

    public static StoreBuilder<QueueViewStore> builder(String name) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<QueueViewStore> withCachingEnabled() {
                throw new UnsupportedOperationException("the view store has no record cache");
            }

            @Override
            public StoreBuilder<QueueViewStore> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<QueueViewStore> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("the view store is derived: it has no changelog");
            }

            @Override
            public StoreBuilder<QueueViewStore> withLoggingDisabled() {
                return this;
            }

            @Override
            public QueueViewStore build() {
                return new QueueViewStore(name);
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

    /**
     * One queue's view built from a copy of its stored entries and counters (a standby's, or those of an active task
     * still being restored): for reads while no active view can answer. Built whole, as the store holds them (the
     * view orders them), and never written again; it says nothing of when it was applied.
     *
     * @param storedEntries the entries store's values of the queue's key range
     * @param storedCounters the counters store's value of the queue, or null
     */
    public static QueueViews copyOf(QueueId queue, Iterator<byte[]> storedEntries, byte[] storedCounters) {
        QueueViewStore copy = new QueueViewStore("copy of " + queue);
        copy.open = true;
        storedEntries.forEachRemaining(bytes -> copy.put(QueuedEntry.fromBytes(queue, bytes)));
        Dispatches dispatches = QueueCounters.fromBytes(storedCounters).dispatches();
        if (dispatches != null) {
            copy.putDispatches(queue, dispatches);
        }
        copy.markComplete();
        return copy.readOnly();
    }

    // ---- writes: the projector ----

    /** Queues the entry in place of the one with its id, if any; returns the one replaced, or null. */
    QueuedEntry put(QueuedEntry queued) {
        TextCodes shared = codes;
        return views.computeIfAbsent(queued.entry().queue(), queue -> new QueueView(queue, shared)).put(queued);
    }

    /**
     * A rebuild's put, for entries as the entries store holds them (one queue's together): a queue's entries are
     * linked into its order and indexes in queue order when the next queue's first comes, or at {@link #loaded}.
     */
    void load(QueuedEntry queued) {
        TextCodes shared = codes;
        QueueView view = views.computeIfAbsent(queued.entry().queue(), queue -> new QueueView(queue, shared));
        if (view != loading) {
            loaded();
            loading = view;
        }
        view.stage(queued);
    }

    /** The rebuild has put its last entry: the last queue's entries are linked too. */
    void loaded() {
        if (loading != null) {
            loading.linkStaged();
            loading = null;
        }
    }

    /** Takes an entry out; returns it, or null when it is not queued. */
    QueuedEntry remove(QueueId queue, long id) {
        QueueView view = views.get(queue);
        if (view == null) {
            return null;
        }
        QueuedEntry removed = view.remove(id);
        if (view.isEmpty()) {
            views.remove(queue); // a reader holding it meanwhile sees an empty queue, as it is
        }
        return removed;
    }

    /** The queue's dispatches as the counters store now holds them. */
    void putDispatches(QueueId queue, Dispatches recent) {
        dispatches.put(queue, recent);
    }

    /** The projector has applied a record of this timestamp (epoch ms): what the view reflects now. */
    void applied(long timestamp) {
        appliedUntil = timestamp;
    }

    /** The projector has put every stored entry of the partition back: queries may read it now. */
    void markComplete() {
        complete = true;
    }

    /** Open and complete without a task around it: for a view filled directly (the benchmark's ViewFill). */
    void openDetached() {
        open = true;
        complete = true;
    }

    void clear() {
        complete = false;
        appliedUntil = NOTHING_APPLIED;
        loading = null;
        views.clear();
        dispatches.clear();
        codes = new TextCodes();
    }

    // ---- reads: the stream thread ----

    /** The queue's view, or null when nothing is queued there; for the stream thread, which alone writes it. */
    QueueView view(QueueId queue) {
        checkOpen();
        return views.get(queue);
    }

    /** The queue's dispatches, or null when it is not watched yet; for the stream thread. */
    Dispatches dispatches(QueueId queue) {
        checkOpen();
        return dispatches.get(queue);
    }

    /** The queued entry, or null; for the stream thread. */
    QueuedEntry get(QueueId queue, long id) {
        QueueView view = view(queue);
        return view == null ? null : view.get(id);
    }

    // ---- reads: any thread ----

    /** The read-only face of this store, for queries on other threads. */
    public QueueViews readOnly() {
        return readOnly;
    }

    private <T> T read(QueueId queue, Function<LockedQueue, T> query) {
        checkOpen();
        if (!complete) {
            throw new InvalidStateStoreException("the view of this partition is being rebuilt");
        }
        QueueView view = views.get(queue);
        // an empty queue when nothing is queued
        return (view != null ? view : new QueueView(queue, codes)).read(dispatches.get(queue), query);
    }

    private void checkOpen() {
        if (!open) {
            throw new InvalidStateStoreException("store " + name + " is closed");
        }
    }

    // ---- the state store's life ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {
            throw new IllegalStateException("the view store has no changelog to restore from");
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
        clear();
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
