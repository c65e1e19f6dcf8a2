package io.queueview.query;

import io.queueview.queue.QueueId;
import io.queueview.store.QueueDepth;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import io.queueview.store.QueueViewStore;
import io.queueview.store.QueueViews;
import io.queueview.time.Ticker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Finds a queue's stores through Kafka Streams: which partition holds the queue (the repartition topic's key is
 * the queue key), which instance is its active owner, and — when it is this one — that partition's view.
 * <p>
 * Asked per partition, not per instance: while the group rebalances, a partition that stays here keeps answering
 * (its store is read with stale stores allowed, since Kafka Streams refuses every store of a thread that is
 * restoring another task; the view itself refuses until its task has rebuilt it, so a restoring partition is never
 * read half-built). Who owns each partition — this instance, or which other — is kept until the next state change
 * (every rebalance is one, here too): asking Kafka Streams on every call serializes all HTTP threads on one lock
 * (seen in a thread dump under load).
 */
public final class StreamsLocalStores implements LocalStores {

    private static final long LAG_REFRESH_NANOS = 250_000_000L;
    /**
     * How long a queue built from a copy answers before it is built again: a copy is read only while no active view
     * can answer (seconds, around an instance's death), and answers say they are stale.
     */
    private static final long COPY_REFRESH_NANOS = 1_000_000_000L;
    /**
     * How long the last copy built of a queue may answer while its partition moves (its standby becoming the active
     * task here, whose view is not rebuilt yet): nothing is applied to the partition meanwhile, so the copy stays as
     * fresh as when it was built.
     */
    private static final long COPY_WHILE_MOVING_NANOS = 30_000_000_000L;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final int partitions;
    private final String commandsTopic;
    private final Supplier<String> waitingFor;
    private final Ticker time;
    private final Map<Integer, QueuePartition> owned = new ConcurrentHashMap<>();
    private final Map<Integer, QueuePlacement> placements = new ConcurrentHashMap<>();
    /** The placements known before the last state change: what routing goes by while the group does not say. */
    private final Map<Integer, QueuePlacement> lastKnownPlacements = new ConcurrentHashMap<>();
    private final Map<QueueId, BuiltCopy> copies = new ConcurrentHashMap<>();
    /** Changelog records not yet restored, per partition whose stores are here (active or standby); null before. */
    private volatile CopyLags copyLags;
    /**
     * Partitions whose stores here have been seen caught up (near the changelog's end) since they came here:
     * only those make copies. A standby assigned moments ago may hold nothing yet, and its lag in records cannot tell.
     */
    private final Set<Integer> caughtUp = ConcurrentHashMap.newKeySet();
    private static final long FEW_RECORDS = 10;
    /** Input records not yet applied, per partition active here, as last read off Kafka Streams; null before. */
    private volatile InputLags inputLags;

    private record InputLags(Map<Integer, Long> byPartition, long readAtNanos) {
    }

    private record CopyLags(Map<Integer, Long> byPartition, long readAtNanos) {
    }

    private record BuiltCopy(QueueViews views, long lag, long builtAtNanos) {
    }

    /**
     * @param commandsTopic a source topic of the queues' tasks: its partitions are the queues' partitions
     * @param waitingFor    what the view waits for while not ready, in words
     * @param time          what the lags' age is measured on
     */
    public StreamsLocalStores(KafkaStreams streams, HostInfo self, int partitions, String commandsTopic,
                              Supplier<String> waitingFor, Ticker time) {
        this.streams = streams;
        this.self = self;
        this.partitions = partitions;
        this.commandsTopic = commandsTopic;
        this.waitingFor = waitingFor;
        this.time = time;
    }

    /** Call on every state change of the Kafka Streams instance: ownership may have moved. */
    public void stateChanged() {
        owned.clear();
        lastKnownPlacements.putAll(placements);
        placements.clear();
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public String waitingFor() {
        return waitingFor.get();
    }

    @Override
    public QueuePartition partitionOf(QueueId queue) {
        requireRunning();
        byte[] key = QueueKeys.queue(queue);
        int partition = partitionOf(key);
        QueuePartition known = owned.get(partition);
        if (known != null) {
            return known;
        }
        QueuePlacement placed = placements.get(partition); // routing asked first: the owner, seen this state
        if (placed != null && !placed.activeHere() && placed.active() != null) {
            throw elsewhere(queue, placed.active());
        }
        return lookUp(queue, key);
    }

    private void requireRunning() {
        if (!streams.state().isRunningOrRebalancing()) {
            throw new QueueUnavailable("the view is not ready (" + streams.state().name().toLowerCase(Locale.ROOT)
                    + "); retry shortly");
        }
    }

    /** The default partitioner's choice for the repartition topic, whose key the queue's key is. */
    private int partitionOf(byte[] queueKey) {
        return Utils.toPositive(Utils.murmur2(queueKey)) % partitions;
    }

    /**
     * Kept until the next state change, like the owners: after an instance dies the group still names it the
     * owner until the rebalance, and routing reads the standbys from here meanwhile.
     */
    @Override
    public QueuePlacement placement(QueueId queue) {
        requireRunning();
        byte[] key = QueueKeys.queue(queue);
        int partition = partitionOf(key);
        QueuePlacement known = placements.get(partition);
        if (known != null) {
            return known;
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(QueueStores.ENTRIES, key,
                Serdes.ByteArray().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            // rebalancing — after an instance died, too: until the group says, where the partition was is the best
            // guess, and routing finds out whether its owner still answers
            QueuePlacement lastKnown = lastKnownPlacements.get(partition);
            return lastKnown != null ? lastKnown : new QueuePlacement(partition, false, null, false, List.of());
        }
        boolean activeHere = self.equals(metadata.activeHost());
        QueuePlacement placement = new QueuePlacement(partition, activeHere,
                activeHere ? null : address(metadata.activeHost()), metadata.standbyHosts().contains(self),
                metadata.standbyHosts().stream().filter(host -> !host.equals(self)).map(StreamsLocalStores::address)
                        .sorted(Comparator.comparing(InstanceAddress::toString)).toList());
        if (streams.state() == KafkaStreams.State.RUNNING) {
            placements.put(partition, placement);
            lastKnownPlacements.put(partition, placement);
            if (activeHere) { // its view answers now: copies built while it moved here are done with
                copies.keySet().removeIf(copied -> partitionOf(QueueKeys.queue(copied)) == partition);
            }
        }
        return placement;
    }

    private static InstanceAddress address(HostInfo host) {
        return new InstanceAddress(host.host(), host.port());
    }

    /**
     * Built from the partition's entries and counters stores of a standby here (read with stale stores allowed) that
     * has been seen caught up, at most once a second per queue. Never from the stores of an active task here, nor of a
     * standby never seen caught up: either may have been assigned with nothing in them, and a lag in records does not
     * tell. While the partition moves (its standby here becoming the active task, the view not rebuilt yet), the last
     * copy built answers, up to 30 s old.
     */
    @Override
    public QueueCopy copyOf(QueueId queue) {
        byte[] key = QueueKeys.queue(queue);
        int partition = partitionOf(key);
        long now = time.nanoTime();
        BuiltCopy built = copies.get(queue);
        if (built != null && now - built.builtAtNanos() <= COPY_REFRESH_NANOS) {
            return new QueueCopy(built.views(), built.lag());
        }
        Long lag = copyLags().get(partition);
        String why = "no standby copy of the stores of queue " + queue + " is held here";
        if (lag != null && caughtUp.contains(partition) && !activeInputLags().containsKey(partition)) {
            try {
                BuiltCopy fresh = new BuiltCopy(buildCopy(queue, partition, key), lag, now);
                copies.values().removeIf(old -> now - old.builtAtNanos() > COPY_WHILE_MOVING_NANOS);
                copies.put(queue, fresh);
                return new QueueCopy(fresh.views(), fresh.lag());
            } catch (InvalidStateStoreException moving) {
                why = "the standby copy of the stores of queue " + queue + " here is not readable now ("
                        + moving.getMessage() + ")";
            }
        }
        if (built != null && now - built.builtAtNanos() <= COPY_WHILE_MOVING_NANOS) {
            return new QueueCopy(built.views(), built.lag());
        }
        throw new QueueUnavailable(why + "; retry shortly");
    }

    private QueueViews buildCopy(QueueId queue, int partition, byte[] key) {
        ReadOnlyKeyValueStore<Bytes, byte[]> entries = storeCopy(QueueStores.ENTRIES, partition);
        ReadOnlyKeyValueStore<Bytes, byte[]> counters = storeCopy(QueueStores.COUNTERS, partition);
        try (KeyValueIterator<Bytes, byte[]> range = entries.prefixScan(Bytes.wrap(key), Serdes.Bytes().serializer())) {
            Iterator<byte[]> values = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return range.hasNext();
                }

                @Override
                public byte[] next() {
                    return range.next().value;
                }
            };
            return QueueViewStore.copyOf(queue, values, counters.get(Bytes.wrap(key)));
        }
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> storeCopy(String store, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                .withPartition(partition).enableStaleStores());
    }

    /**
     * Per partition whose stores are here, active or standby: changelog records not yet restored into them, as
     * Kafka Streams last saw the changelog's end. Read at most every 250 ms: asking reads the end offsets off the
     * brokers.
     */
    private Map<Integer, Long> copyLags() {
        CopyLags known = copyLags;
        long now = time.nanoTime();
        if (known != null && now - known.readAtNanos() <= LAG_REFRESH_NANOS) {
            return known.byPartition();
        }
        Map<Integer, Long> lags = new TreeMap<>();
        Map<Integer, LagInfo> entries = streams.allLocalStorePartitionLags().get(QueueStores.ENTRIES);
        if (entries != null) {
            entries.forEach((partition, lag) -> {
                lags.put(partition, lag.offsetLag());
                // a warm standby, busy or idle: within 1 % of the changelog's end, or a few records from it (under
                // exactly-once the end is a transaction marker the store never holds) having restored some; a store
                // that has restored nothing yet is not, whatever the changelog's length
                if (lag.offsetLag() * 100 <= lag.endOffsetPosition()
                        || lag.offsetLag() <= FEW_RECORDS && lag.currentOffsetPosition() > 0) {
                    caughtUp.add(partition);
                }
            });
        }
        caughtUp.retainAll(lags.keySet()); // gone from here: a copy that comes back starts anew
        copyLags = new CopyLags(lags, now);
        return lags;
    }

    /**
     * Looks at the copies here: call every second or so, so that a standby is known caught up before its owner dies
     * (reads ask only then).
     */
    public void sampleCopies() {
        if (streams.state().isRunningOrRebalancing()) {
            copyLags();
        }
    }

    private static OwnedElsewhere elsewhere(QueueId queue, InstanceAddress owner) {
        return new OwnedElsewhere(owner, "queue " + queue + " is owned by instance " + owner);
    }

    private QueuePartition lookUp(QueueId queue, byte[] key) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(QueueStores.ENTRIES, key, Serdes.ByteArray().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new QueueUnavailable("the owner of queue " + queue + " is not known yet (rebalancing); retry shortly");
        }
        if (!self.equals(owner.activeHost())) {
            throw elsewhere(queue, address(owner.activeHost()));
        }
        int partition = owner.partition();
        try {
            QueuePartition stores = new QueuePartition(partition, localViews(partition));
            if (streams.state() == KafkaStreams.State.RUNNING) {
                owned.put(partition, stores);
            }
            return stores;
        } catch (InvalidStateStoreException e) {
            throw new QueueUnavailable("the stores of queue " + queue + " are not queryable now (" + e.getMessage()
                    + "); retry shortly");
        }
    }

    /**
     * A partition's view here, read with stale stores allowed: Kafka Streams refuses every store of a thread that is
     * restoring another task, and the view itself refuses until its own task has rebuilt it.
     */
    private QueueViews localViews(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(QueueStores.VIEW, QueueViewStore.TYPE)
                .withPartition(partition).enableStaleStores());
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> waitHistory(int partition) {
        try {
            // stale stores allowed as for the view: the caller has read the partition's view, so its task is active
            return streams.store(StoreQueryParameters.fromNameAndType(QueueStores.WAITS,
                    QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition).enableStaleStores());
        } catch (InvalidStateStoreException e) {
            throw new QueueUnavailable("the wait statistics of partition " + partition + " are not queryable now ("
                    + e.getMessage() + "); retry shortly");
        }
    }

    @Override
    public long lag(int partition) {
        return activeInputLags().getOrDefault(partition, -1L);
    }

    /**
     * Per partition whose queues are active here: end offset minus committed offset over its inputs (the
     * repartition and commands topics), as Kafka Streams last fetched and committed them — at most a commit interval
     * old. Read at most every 250 ms, since asking takes a lock every stream thread also takes.
     */
    private Map<Integer, Long> activeInputLags() {
        InputLags known = inputLags;
        long now = time.nanoTime();
        if (known != null && now - known.readAtNanos() <= LAG_REFRESH_NANOS) {
            return known.byPartition();
        }
        Map<Integer, Long> lags = new TreeMap<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                // the queues' tasks read the commands topic; the events' re-keying tasks have other partitions
                if (task.topicPartitions().stream().noneMatch(input -> input.topic().equals(commandsTopic))) {
                    continue;
                }
                long lag = 0;
                for (TopicPartition input : task.topicPartitions()) {
                    Long end = task.endOffsets().get(input);
                    Long committed = task.committedOffsets().get(input);
                    lag += end == null || committed == null || committed < 0 ? 0 : Math.max(0, end - committed);
                }
                lags.put(task.taskId().partition(), lag);
            }
        }
        inputLags = new InputLags(lags, now);
        return lags;
    }

    @Override
    public Map<QueueId, QueueDepth> depths() {
        Map<QueueId, QueueDepth> depths = new HashMap<>();
        for (int partition : activeInputLags().keySet()) {
            try {
                depths.putAll(localViews(partition).depths());
            } catch (InvalidStateStoreException moving) {
                // left out while it moves
            }
        }
        return depths;
    }

    @Override
    public ClusterState cluster() {
        List<ClusterState.Instance> instances = new ArrayList<>();
        for (StreamsMetadata member : streams.metadataForAllStreamsClients()) {
            instances.add(new ClusterState.Instance(
                    new InstanceAddress(member.hostInfo().host(), member.hostInfo().port()),
                    queuePartitions(member.topicPartitions()), queuePartitions(member.standbyTopicPartitions())));
        }
        instances.sort(Comparator.comparing(instance -> instance.address().toString()));
        Map<Integer, Long> lags = new TreeMap<>();
        for (Map<Integer, LagInfo> byPartition : streams.allLocalStorePartitionLags().values()) {
            byPartition.forEach((partition, lag) -> lags.merge(partition, lag.offsetLag(), Math::max));
        }
        Map<Integer, ViewFreshness> views = new TreeMap<>();
        for (Map.Entry<Integer, Long> input : activeInputLags().entrySet()) {
            Instant appliedUntil = null;
            try {
                OptionalLong until = localViews(input.getKey()).appliedUntil();
                appliedUntil = until.isPresent() ? Instant.ofEpochMilli(until.getAsLong()) : null;
            } catch (InvalidStateStoreException moving) {
                // shown without the time: the partition is moving
            }
            views.put(input.getKey(), new ViewFreshness(appliedUntil, input.getValue()));
        }
        return new ClusterState(new InstanceAddress(self.host(), self.port()), streams.state().name(), instances, lags,
                views);
    }

    private List<Integer> queuePartitions(Set<TopicPartition> partitionsHeld) {
        return partitionsHeld.stream().filter(tp -> tp.topic().equals(commandsTopic)).map(TopicPartition::partition)
                .sorted().toList();
    }
}
