package io.queueview.topology;

import io.queueview.config.Settings;
import io.queueview.store.QueueStores;
import io.queueview.store.QueueViewStore;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream processing of queueview (picture and topics in topology/): parse and check each event, send bad
 * records to the dead-letter topic, re-key by queue through a named repartition topic with a pinned partition
 * count, merge in the API's commands, and fold both into the projector's stores. Every processor, store and topic has an explicit
 * name, so renaming code never orphans state.
 */
public final class QueueTopology {

    /** Name of the repartition topic (Kafka Streams prefixes the application id and adds "-repartition"). */
    public static final String EVENTS_BY_QUEUE = "queue-events-by-queue";
    /** The projector's sinks: it sends each record it writes to one of them by name. */
    static final String CHANGES_SINK = "write-queue-changes";
    static final String AUDIT_SINK = "write-queue-audit";

    private QueueTopology() {
    }

    public static Topology build(Settings settings) {
        return build(settings, WaitObserver.NONE);
    }

    /** The topology, whose projector tells the observer each dispatch's time in queue. */
    public static Topology build(Settings settings, WaitObserver waits) {
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : QueueStores.KEY_VALUE) {
            builder.addStateStore(keyValueStore(store));
        }
        builder.addStateStore(QueueViewStore.builder(QueueStores.VIEW));
        // Written by the API's write calls, keyed by queue, with the repartition topic's partition count: a
        // command meets the events of its queue in the same task, and applies in topic order among them.
        KStream<byte[], byte[]> commands = builder.stream(settings.topics().commands(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read-queue-commands"));

        KStream<byte[], EventIntake.Outcome> checked = builder
                .stream(settings.topics().events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withName("read-queue-events"))
                .process(EventIntake::new, Named.as("check-event"));

        checked.split(Named.as("route-"))
                .branch((key, outcome) -> outcome.rejected(), Branched.withConsumer(rejected -> rejected
                        .mapValues(EventIntake.Outcome::rejectedValue, Named.as("original-value"))
                        .to(settings.topics().deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                .withName("write-dead-letters")), "dead-letter"))
                .defaultBranch(Branched.withConsumer(valid -> {
                    KStream<byte[], byte[]> projected = valid
                            .mapValues(outcome -> EventCodec.encode(outcome.event()), Named.as("encode-event"))
                            .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName(EVENTS_BY_QUEUE)
                                    .withNumberOfPartitions(settings.view().partitions()))
                            .merge(commands, Named.as("merge-queue-commands"))
                            .process(() -> new QueueProjector(settings.view().removalMarkerTtl(), settings.topics().commands(),
                                    waits),
                                    Named.as("queue-projector"), QueueStores.ALL);
                    // the projector sends each record to one of these by name: an applied change, or an audit record
                    projected.to(settings.topics().changes(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                            .withName(CHANGES_SINK));
                    projected.to(settings.topics().audit(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                            .withName(AUDIT_SINK));
                }, "valid"));
        return builder.build();
    }

    /** The Kafka Streams configuration of a dynamic group member (tests and benchmarks). */
    public static Properties streamsConfig(Settings settings, String bootstrapServers, String applicationServer) {
        return streamsConfig(settings, bootstrapServers, applicationServer, null);
    }

    /**
     * The Kafka Streams configuration; applicationServer is "host:port" of this instance's HTTP API, and
     * groupInstanceId its static name in the group (null: a dynamic member).
     */
    public static Properties streamsConfig(Settings settings, String bootstrapServers, String applicationServer,
                                           String groupInstanceId) {
        Properties props = new Properties();
        props.putAll(settings.kafka().clientSettings()); // security and the like for every client; none of the keys set below
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.view().applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.dataDir().resolve("streams").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.view().processingGuarantee());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.view().replicationFactor());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.view().streamThreads());
        // Each commit is a Kafka transaction over every partition written. Under exactly-once the projector reads
        // the repartition topic read_committed, so an event reaches the view only when the transaction that re-keyed
        // it commits: the interval is a floor on freshness (1 s: p50 520 ms, p99 1 s from produce to visible;
        // 100 ms, the default: 62-70 ms, p99 116-133 ms), and measured the same for bulk ingest within noise.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.view().commitInterval().toMillis());
        // The projector's tasks read two partitions, and the commands' one is empty most of the time. Task idling
        // (for timestamp order across partitions, which no rule here depends on) then formats a log text on every
        // check, traced or not: 9% of the stream thread in a profile. -1 turns idling off.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Each event is written three times (repartition, changelog, queue-changes): larger, compressed batches mean
        // fewer and smaller produce requests for the broker, which shares the machine. Measured on the benchmark's
        // ingest: about +30% over the defaults (16 KiB, uncompressed).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // A transaction left open by a killed instance holds back read_committed readers, and the committed offsets
        // its successor must fetch, until the broker aborts it after this timeout (Streams' default: 10 s; measured:
        // failover under a steady stream of events 12.1 s with it). The default, 5 s or five commit intervals, ends
        // it before the session timeout (6 s) hands its partitions over; but a broker's failover takes longer and
        // aborts the transactions its coordinator held (docs/operations.md, When Kafka fails): the trade-off is the
        // operator's, QUEUEVIEW_TRANSACTION_TIMEOUT.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) settings.view().transactionTimeout().toMillis());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // A new application reads the events topic from its beginning: the view is the whole history.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        membership(props, settings, groupInstanceId);
        return props;
    }

    /**
     * How this instance belongs to the group. A static member (group.instance.id; Kafka Streams suffixes it per
     * stream thread) that restarts takes its partitions back without a rebalance; a member that dies for good is
     * noticed after the session timeout, and its partitions go to the instances holding standbys of them. With
     * the streams protocol the session timeout and the standbys are group configs (StreamsGroupConfig).
     */
    private static void membership(Properties props, Settings settings, String groupInstanceId) {
        props.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, settings.view().groupProtocol());
        if ("classic".equals(settings.view().groupProtocol())) {
            // Static membership only here: with the streams protocol (Kafka 4.4) a member that comes back under
            // the name of one killed within its session is refused (UNRELEASED_INSTANCE_ID), a fatal error that
            // stops the view; measured on kill -9 and restart.
            if (groupInstanceId != null) {
                props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), groupInstanceId);
            }
            props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.view().standbyReplicas());
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                    (int) settings.view().sessionTimeout().toMillis());
            // The survivors learn of a rebalance on their next heartbeat: a fifth of the session keeps that short.
            props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                    (int) heartbeatInterval(settings).toMillis());
        }
    }

    /** A fifth of the session timeout: several heartbeats may be lost before the member is given up. */
    public static Duration heartbeatInterval(Settings settings) {
        return settings.view().sessionTimeout().dividedBy(5);
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> keyValueStore(String name) {
        StoreBuilder<KeyValueStore<Bytes, byte[]>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
        // The counters are few hot keys: the record cache folds their updates before they reach the changelog. The
        // other stores skip it: the outcomes' position must move at once, and the entries are read from the view.
        return QueueStores.CACHED.contains(name) ? store.withCachingEnabled() : store.withCachingDisabled();
    }
}
