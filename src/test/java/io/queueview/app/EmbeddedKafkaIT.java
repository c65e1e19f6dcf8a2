package io.queueview.app;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaIT {
    private static final String TOPIC = "jobs";

    @Test
    void keepsTopicsAndCommittedRecordsAcrossRestart(@TempDir Path logDir) throws Exception {
        String firstBootstrap;
        try (EmbeddedKafka kafka = timedStart("first start", logDir, 0)) {
            firstBootstrap = kafka.bootstrapServers();
            try (Admin admin = admin(kafka)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka, null))) {
                for (String value : List.of("a", "b", "c")) {
                    producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
                }
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka, "it-tx"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "t1", "t1"));
                producer.send(new ProducerRecord<>(TOPIC, "t2", "t2"));
                producer.commitTransaction();
                // An aborted transaction must stay invisible to read_committed readers.
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "x", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }
            assertEquals(List.of("a", "b", "c", "t1", "t2"), readCommitted(kafka, TOPIC, 5));
            kafka.close(); // close twice: the second one (try-with-resources) must be a no-op
        }

        int otherPort = freePortOtherThan(port(firstBootstrap));
        try (EmbeddedKafka kafka = timedStart("restart", logDir, otherPort)) {
            assertEquals("127.0.0.1:" + otherPort, kafka.bootstrapServers());
            try (Admin admin = admin(kafka)) {
                assertTrue(admin.listTopics().names().get().contains(TOPIC));
            }
            assertEquals(List.of("a", "b", "c", "t1", "t2"), readCommitted(kafka, TOPIC, 5));
            // The transaction coordinator's state survived too: the same transactional id fences and goes on.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka, "it-tx"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "t3", "t3"));
                producer.commitTransaction();
            }
            assertEquals(List.of("a", "b", "c", "t1", "t2", "t3"), readCommitted(kafka, TOPIC, 6));
        }
    }

    @Test
    void exactlyOnceStreamsWorks(@TempDir Path logDir, @TempDir Path stateDir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0)) {
            try (Admin admin = admin(kafka)) {
                admin.createTopics(List.of(new NewTopic("in", 1, (short) 1), new NewTopic("out", 1, (short) 1))).all().get();
            }
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                    .mapValues(v -> v.toUpperCase())
                    .to("out", Produced.with(Serdes.String(), Serdes.String()));
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-it");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
            config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
                streams.start();
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(kafka, null))) {
                    producer.send(new ProducerRecord<>("in", "k", "hello")).get();
                    producer.send(new ProducerRecord<>("in", "k", "world")).get();
                }
                assertEquals(List.of("HELLO", "WORLD"), readCommitted(kafka, "out", 2));
            }
        }
    }

    @Test
    void portInUseIsReportedWithThePort(@TempDir Path logDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            BindException e = assertThrows(BindException.class, () -> EmbeddedKafka.start(logDir, port));
            assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
        }
    }

    private static EmbeddedKafka timedStart(String what, Path logDir, int port) throws Exception {
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.start(logDir, port);
        System.out.printf("[timing] EmbeddedKafka %s: %d ms (%s)%n", what, (System.nanoTime() - t0) / 1_000_000, kafka.bootstrapServers());
        return kafka;
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static Map<String, Object> producerConfig(EmbeddedKafka kafka, String transactionalId) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return config;
    }

    /** Values of the first {@code count} committed records of partition 0, failing after 30 s. */
    private static List<String> readCommitted(EmbeddedKafka kafka, String topic, int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            // Nothing beyond what was expected (e.g. no aborted record) may follow.
            consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
        }
        return values;
    }

    private static int port(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }

    private static int freePortOtherThan(int port) throws Exception {
        while (true) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (probe.getLocalPort() != port) {
                    return probe.getLocalPort();
                }
            }
        }
    }
}
