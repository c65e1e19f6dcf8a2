package io.queueview.testing;

import java.util.stream.Collectors;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import io.queueview.command.AppliedCommand;
import io.queueview.command.CommandJson;
import io.queueview.command.CommandOutcome;
import io.queueview.command.QueueCommand;
import io.queueview.command.RefusedWrite;
import io.queueview.config.Settings;
import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.query.LocalStores;
import io.queueview.query.Page;
import io.queueview.query.QueueCopy;
import io.queueview.query.QueuePartition;
import io.queueview.query.QueueReader;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import io.queueview.store.QueueViewStore;
import io.queueview.store.QueueViews;
import io.queueview.store.QueuedEntry;
import io.queueview.time.Ticker;
import io.queueview.topology.QueueTopology;
import io.queueview.write.QueueWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The whole topology in a {@link TopologyTestDriver} (real RocksDB stores, no broker), with the stores offered
 * as {@link LocalStores} and the commands topic as a {@link QueueWriter}, so the query side and the HTTP server
 * can run on it. Synchronized: the HTTP server calls it from several threads, the driver is single-threaded.
 */
public final class ProjectorDriver implements LocalStores, QueueWriter, AutoCloseable {

    private final Settings settings;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> events;
    private final TestInputTopic<byte[], byte[]> commands;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<byte[], byte[]> changes;
    private final TestOutputTopic<byte[], byte[]> audit;
    private final List<RefusedWrite> refused = new CopyOnWriteArrayList<>();
    private volatile long lag;

    public ProjectorDriver(Path dataDir) {
        this(TestSettings.in(dataDir));
    }

    public ProjectorDriver(Settings settings) {
        this.settings = settings;
        Properties props = QueueTopology.streamsConfig(settings, "driver:9092", "localhost:8080");
        driver = new TopologyTestDriver(QueueTopology.build(settings), props);
        events = driver.createInputTopic(settings.topics().events(), new ByteArraySerializer(), new ByteArraySerializer());
        commands = driver.createInputTopic(settings.topics().commands(), new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(settings.topics().deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        changes = driver.createOutputTopic(settings.topics().changes(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        audit = driver.createOutputTopic(settings.topics().audit(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public synchronized ProjectorDriver send(EventJson... eventsToSend) {
        for (EventJson event : eventsToSend) {
            events.pipeInput(null, event.bytes());
        }
        return this;
    }

    /** Sends an event with this record timestamp (the scheduler's append time). */
    public synchronized ProjectorDriver sendAt(Instant at, EventJson event) {
        events.pipeInput(null, event.bytes(), at);
        return this;
    }

    public synchronized ProjectorDriver sendRaw(byte[] key, byte[] value) {
        events.pipeInput(key, value);
        return this;
    }

    public synchronized ProjectorDriver sendCommandRaw(byte[] key, byte[] value) {
        commands.pipeInput(key, value);
        return this;
    }

    /** Pipes the command into queue-commands and reads its outcome, as the service's writer does. */
    @Override
    public synchronized CommandOutcome submit(QueueCommand command) {
        commands.pipeInput(QueueKeys.queue(command.queue()), CommandJson.encode(command));
        byte[] outcome = store(QueueStores.OUTCOMES).get(Bytes.wrap(command.commandId().getBytes(StandardCharsets.UTF_8)));
        if (outcome == null) {
            throw new AssertionError("command " + command.commandId() + " left no outcome");
        }
        return AppliedCommand.fromBytes(outcome).outcome();
    }

    /** As {@link #submit}, with this record timestamp (a simulation's clock). */
    public synchronized CommandOutcome submitAt(Instant at, QueueCommand command) {
        commands.pipeInput(QueueKeys.queue(command.queue()), CommandJson.encode(command), at);
        byte[] outcome = store(QueueStores.OUTCOMES).get(Bytes.wrap(command.commandId().getBytes(StandardCharsets.UTF_8)));
        if (outcome == null) {
            throw new AssertionError("command " + command.commandId() + " left no outcome");
        }
        return AppliedCommand.fromBytes(outcome).outcome();
    }

    /** Every entry of the queue as the API lists it: pages of the view in memory, read as the list call reads. */
    public synchronized List<Entry> queue(QueueId queue) {
        QueueReader reader = new QueueReader(this, Ticker.SYSTEM);
        List<Entry> entries = new ArrayList<>();
        Page page;
        do {
            page = reader.list(new ListQuery(queue, Filters.NONE, ListQuery.MAX_LIMIT, entries.size()));
            entries.addAll(page.entries());
        } while (!page.entries().isEmpty() && entries.size() < page.total());
        return entries;
    }

    /**
     * Every entry of the queue as the entries store holds it (what the view is rebuilt from), sorted in queue
     * order: to check that the view and the store agree.
     */
    public synchronized List<Entry> stored(QueueId queue) {
        List<Entry> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> scan = store(QueueStores.ENTRIES)
                .prefixScan(Bytes.wrap(QueueKeys.queue(queue)), new BytesSerializer())) {
            scan.forEachRemaining(kv -> entries.add(QueuedEntry.fromBytes(queue, kv.value).entry()));
        }
        entries.sort(Entry.QUEUE_ORDER);
        return entries;
    }

    /**
     * The queue as a standby's copy of this partition's stores would hold it — built from the entries and counters
     * stores as the service builds it — said to be lag records behind.
     */
    public synchronized QueueCopy standbyCopy(QueueId queue, long lag) {
        List<byte[]> values = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> scan = store(QueueStores.ENTRIES)
                .prefixScan(Bytes.wrap(QueueKeys.queue(queue)), new BytesSerializer())) {
            scan.forEachRemaining(kv -> values.add(kv.value));
        }
        return new QueueCopy(QueueViewStore.copyOf(queue, values.iterator(),
                store(QueueStores.COUNTERS).get(Bytes.wrap(QueueKeys.queue(queue)))), lag);
    }

    /** The total the list call answers for the queue. */
    public synchronized long total(QueueId queue) {
        return new QueueReader(this, Ticker.SYSTEM).list(new ListQuery(queue, Filters.NONE, 1, 0)).total();
    }

    public List<Long> ids(QueueId queue) {
        return queue(queue).stream().map(Entry::id).toList();
    }

    public synchronized QueueCounters counters(QueueId queue) {
        return QueueCounters.fromBytes(store(QueueStores.COUNTERS).get(Bytes.wrap(QueueKeys.queue(queue))));
    }

    public long markerCount() {
        try (KeyValueIterator<Bytes, byte[]> all = store(QueueStores.MARKERS).all()) {
            long count = 0;
            for (; all.hasNext(); all.next()) {
                count++;
            }
            return count;
        }
    }

    /**
     * What a store's changelog topic holds after compaction — the last value of each key, deletes dropped: what
     * Kafka Streams puts back into a store it restores.
     */
    public synchronized Map<Bytes, byte[]> changelog(String store) {
        TestOutputTopic<byte[], byte[]> topic = driver.createOutputTopic(
                settings.view().applicationId() + "-" + store + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        Map<Bytes, byte[]> compacted = new TreeMap<>();
        for (KeyValue<byte[], byte[]> record : topic.readKeyValuesToList()) {
            if (record.value == null) {
                compacted.remove(Bytes.wrap(record.key));
            } else {
                compacted.put(Bytes.wrap(record.key), record.value);
            }
        }
        return compacted;
    }

    /** Puts records into a store, as a restore from its changelog does. */
    public synchronized void restore(String store, Map<Bytes, byte[]> records) {
        records.forEach(store(store)::put);
    }

    /** Every key of a store. */
    public synchronized List<Bytes> keys(String store) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store(store).all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    /** The records the projector wrote to the audit topic since the last call. */
    public List<KeyValue<byte[], byte[]>> audit() {
        return audit.readKeyValuesToList();
    }

    /** Refused write calls, as the HTTP layer recorded them (the service sends them to the audit topic). */
    @Override
    public void refused(RefusedWrite refusal) {
        refused.add(refusal);
    }

    public List<RefusedWrite> refused() {
        return List.copyOf(refused);
    }

    public List<KeyValue<byte[], byte[]>> changes() {
        return changes.readKeyValuesToList();
    }

    public void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** The names of the metrics the topology's processors registered. */
    public Set<String> metricNames() {
        return driver.metrics().keySet().stream().map(MetricName::name).collect(Collectors.toSet());
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public boolean ready() {
        return true;
    }

    /** As Kafka Streams would say it: records of the partition's input not yet applied (set by a test). */
    @Override
    public long lag(int partition) {
        return lag;
    }

    /** What {@link #lag} says from now on (the driver applies every record it is given before returning). */
    public void reportLag(long records) {
        lag = records;
    }

    @Override
    public QueuePartition partitionOf(QueueId queue) {
        return new QueuePartition(0, views());
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> waitHistory(int partition) {
        return store(QueueStores.WAITS);
    }

    /** The queues in memory, read-only, as interactive queries get them. */
    public QueueViews views() {
        return ((QueueViewStore) driver.getStateStore(QueueStores.VIEW)).readOnly();
    }

    private KeyValueStore<Bytes, byte[]> store(String name) {
        return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
        driver.close();
    }
}
