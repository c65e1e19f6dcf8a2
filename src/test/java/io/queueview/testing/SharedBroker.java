package io.queueview.testing;

import io.queueview.app.EmbeddedKafka;
import io.queueview.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One real KRaft broker for all end-to-end tests of a test JVM (it starts in seconds, but not in no time),
 * stopped when the JVM exits. Tests keep apart by their own topic names and application ids ({@link #unique}).
 */
public final class SharedBroker {

    private static EmbeddedKafka broker;

    private SharedBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                Path dir = Files.createTempDirectory("queueview-it-broker");
                broker = EmbeddedKafka.start(dir, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "it-broker-stop"));
        }
        return broker.bootstrapServers();
    }

    /**
     * Settings of a queueview on the shared broker with an application id and topics of its own (2 partitions),
     * so that tests never see each other's events.
     */
    public static Settings settings(Path dataDir, String... overrides) {
        List<String> env = new ArrayList<>(group(bootstrapServers(), 2));
        env.addAll(List.of(overrides));
        return TestSettings.in(dataDir, env.toArray(String[]::new));
    }

    /**
     * The variables (name, value, ...) of a group of instances of its own on a broker: an application id and topics
     * no other test uses, the given partitions, replication factor 1.
     */
    public static List<String> group(String bootstrapServers, int partitions) {
        return List.of(
                "QUEUEVIEW_KAFKA_BOOTSTRAP", bootstrapServers,
                "QUEUEVIEW_APPLICATION_ID", unique("qv"),
                "QUEUEVIEW_EVENTS_TOPIC", unique("events"),
                "QUEUEVIEW_DLQ_TOPIC", unique("dlq"),
                "QUEUEVIEW_CHANGES_TOPIC", unique("changes"),
                "QUEUEVIEW_COMMANDS_TOPIC", unique("commands"),
                "QUEUEVIEW_AUDIT_TOPIC", unique("audit"),
                "QUEUEVIEW_PARTITIONS", Integer.toString(partitions),
                "QUEUEVIEW_REPLICATION_FACTOR", "1");
    }

    /** A name no other test uses, for topics and application ids. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Sends a scheduler's events with their record times, all under one key (so in one partition, in order), and
     * waits until the broker has them all.
     */
    public static void produce(String topic, String key, List<SimulatedScheduler.Timed> events) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SimulatedScheduler.Timed event : events) {
                producer.send(new ProducerRecord<>(topic, null, event.at().toEpochMilli(),
                        key.getBytes(StandardCharsets.UTF_8), event.event().bytes()));
            }
            producer.flush();
        }
    }

    /** Sends records to a topic with a plain producer and waits until the broker has them all. */
    public static void produce(String topic, List<Map.Entry<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<byte[], byte[]> record : records) {
                producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue()));
            }
            producer.flush();
        }
    }
}
