package io.queueview.bench;

import io.queueview.config.Settings;
import io.queueview.event.ContractViolation;
import io.queueview.event.EventParser;
import io.queueview.event.QueueEvent;
import io.queueview.store.QueueKeys;
import io.queueview.topology.EventCodec;
import io.queueview.topology.QueueTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The least any Kafka Streams view of these events must do, measured for comparison with queueview: parse each
 * event, re-key it by queue through a repartition topic, and write it once to a RocksDB store with a changelog, under
 * exactly_once_v2 and queueview's own Streams settings (threads, commit interval, producer batches). No rules, no
 * view in memory, no queue-changes.
 */
final class StreamsLimit {

    private static final String STORE = "entries";

    private StreamsLimit() {
    }

    /** Events per second from start until every event of the topic is in the store. */
    static double eventsPerSecond(Settings settings, String bootstrap, Path stateDir, long records)
            throws InterruptedException {
        AtomicLong written = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(),
                Serdes.ByteArray()).withCachingDisabled());
        builder.stream(settings.topics().events(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("read"))
                .map((key, value) -> {
                    QueueEvent event = parse(value);
                    return KeyValue.pair(QueueKeys.queue(event.queue()), EventCodec.encode(event));
                }, Named.as("parse"))
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("by-queue")
                        .withNumberOfPartitions(settings.view().partitions()))
                .process(() -> new Write(written), Named.as("write"), STORE);
        Properties config = QueueTopology.streamsConfig(settings, bootstrap, "127.0.0.1:0");
        // a group of its own each time: a second run under a used id would start from the group's committed offsets
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-streams-limit-" + System.currentTimeMillis());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
        long started = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(config), config)) {
            streams.start();
            while (written.get() < records) {
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("the Streams floor failed; see its log");
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            streams.close(Duration.ofSeconds(30));
            return records / seconds;
        }
    }

    private static QueueEvent parse(byte[] value) {
        try {
            return EventParser.parse(value);
        } catch (ContractViolation e) {
            throw new IllegalStateException("the benchmark's events keep the contract", e);
        }
    }

    /** Writes each event under (queue, id), as queueview's entries store does. */
    private static final class Write implements Processor<byte[], byte[], Void, Void> {
        private final AtomicLong written;
        private KeyValueStore<Bytes, byte[]> store;

        Write(AtomicLong written) {
            this.written = written;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            QueueEvent event = EventCodec.decode(record.value());
            store.put(Bytes.wrap(QueueKeys.entry(event.queue(), event.id())), record.value());
            written.incrementAndGet();
        }
    }
}
