package io.queueview.app;

import static io.queueview.testing.SecuredBroker.SCRAM_PASSWORD;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.testing.Await;
import io.queueview.testing.EventJson;
import io.queueview.testing.SecuredBroker;
import io.queueview.testing.SecuredBroker.WayIn;
import io.queueview.testing.ServiceInstance;
import io.queueview.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * queueview (its own process) against a secured broker ({@link SecuredBroker}): SASL_SSL with SCRAM-SHA-512, SASL/PLAIN,
 * and mutual TLS, each principal holding exactly the ACLs docs/kafka-security.md lists; the password comes from the environment
 * through Kafka's config provider, never from the file. Wrong credentials and an untrusted certificate stop the start
 * with one clear line; a key queueview owns is refused.
 */
class SecuredKafkaIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    static Path folder;
    private static SecuredBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = SecuredBroker.start(folder.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WayIn.class)
    void listsMovesAndPublishesWithExactlyTheDocumentedAcls(WayIn wayIn) throws Exception {
        listsMovesAndPublishes(broker.group(groupFolder(wayIn.toString()), 2, wayIn), wayIn);
    }

    /** KIP-1071's protocol: the broker assigns the tasks and creates the internal topics, on the member's rights. */
    @Test
    void theStreamsRebalanceProtocolWorksWithTheDocumentedAclsAndAlterConfigsOnTheGroup() throws Exception {
        listsMovesAndPublishes(streamsProtocolGroup("streams protocol"), WayIn.SCRAM);
    }

    @Test
    void theStreamsRebalanceProtocolWithoutAlterConfigsOnTheGroupStopsTheStartNamingIt() throws Exception {
        ServiceInstance.Group group = streamsProtocolGroup("streams protocol, no ALTER_CONFIGS");
        String principal = WayIn.SCRAM.principal();
        broker.setAcls(principal, SecuredBroker.documentedAcls(principal, group.env()).stream()
                .filter(acl -> acl.entry().operation() != AclOperation.ALTER_CONFIGS).toList());
        assertStartFails(group.instance("no-alter-configs"), 1,
                "queueview needs ALTER_CONFIGS on GROUP '" + group.env().get("QUEUEVIEW_APPLICATION_ID") + "'");
    }

    private static ServiceInstance.Group streamsProtocolGroup(String label) throws Exception {
        return broker.group(groupFolder(label), 2, WayIn.SCRAM, broker.clientConfig(WayIn.SCRAM), SCRAM_PASSWORD,
                "QUEUEVIEW_GROUP_PROTOCOL", "streams");
    }

    private static void listsMovesAndPublishes(ServiceInstance.Group group, WayIn wayIn) throws Exception {
        broker.grantDocumentedAcls(wayIn, group);
        ServiceInstance instance = group.instance("secured").start();
        try {
            instance.awaitReady(START);
            produce(group.eventsTopic(), List.of(
                    EventJson.enqueued("secured", "RESIM", 1).version(1),
                    EventJson.enqueued("secured", "RESIM", 2).version(1)));
            String list = "/v1.0/secured/data/queuing-jobs?queue_type=RESIM";
            Await.until(Duration.ofSeconds(30), "both events are listed",
                    () -> instance.get(list).body().contains("\"total\":2"));
            assertEquals(200, instance.put("/v1.0/secured/data/queuing-jobs/2",
                    "{\"queue_type\":\"RESIM\",\"operation_type\":\"MOVE_TOP\"}").statusCode());
            assertTrue(instance.get(list).body().indexOf("\"id\":2") < instance.get(list).body().indexOf("\"id\":1"),
                    "the moved entry comes first");
            assertTrue(read(group.env().get("QUEUEVIEW_CHANGES_TOPIC"), 3).size() >= 3, "changes published");
            assertFalse(read(group.env().get("QUEUEVIEW_AUDIT_TOPIC"), 1).isEmpty(), "the move audited");
            assertFalse(Files.readString(instance.log()).contains(SCRAM_PASSWORD), "no password in the log");
        } finally {
            instance.kill();
        }
    }

    /** Each documented ACL but DELETE (its absence only stops the repartition topics' purging, every 30 s). */
    static Stream<Arguments> eachAclLeftOut() {
        List<AclBinding> acls = SecuredBroker.documentedAcls("User:x", Map.of("QUEUEVIEW_APPLICATION_ID", "a",
                "QUEUEVIEW_EVENTS_TOPIC", "e", "QUEUEVIEW_COMMANDS_TOPIC", "c", "QUEUEVIEW_CHANGES_TOPIC", "h",
                "QUEUEVIEW_AUDIT_TOPIC", "u", "QUEUEVIEW_DLQ_TOPIC", "d"));
        return Stream.iterate(0, i -> i + 1).limit(acls.size())
                .filter(i -> acls.get(i).entry().operation() != DELETE)
                .map(i -> Arguments.of(i, acls.get(i).entry().operation() + " on " + acls.get(i).pattern().resourceType()
                        + " " + acls.get(i).pattern().name()));
    }

    /**
     * Without any one of the documented ACLs, the start — or the first events and write, a bad record among them —
     * fails within 30 s, and what queueview says names the resource: a start that exits non-zero, or a view that
     * stops (the process exits), or a write answered with an error.
     */
    @ParameterizedTest(name = "without {1}")
    @MethodSource("eachAclLeftOut")
    void withoutAnyOneDocumentedAclTheStartOrTheFirstWriteFailsNamingIt(int leftOut, String what) throws Exception {
        String principal = WayIn.SCRAM.principal();
        ServiceInstance.Group group = broker.group(groupFolder("acl " + leftOut), 2, WayIn.SCRAM);
        List<AclBinding> acls = new ArrayList<>(SecuredBroker.documentedAcls(principal, group.env()));
        String resource = acls.remove(leftOut).pattern().name();
        broker.setAcls(principal, acls);
        ServiceInstance instance = group.instance("acl-" + leftOut).start();
        long started = System.nanoTime();
        try {
            Optional<Integer> exit = Optional.empty();
            int move = 200;
            boolean wrote = false;
            while (exit.isEmpty() && move == 200 && System.nanoTime() - started < 30e9) {
                exit = instance.exitCode(Duration.ofMillis(200));
                if (exit.isEmpty() && !wrote && instance.ready()) {
                    wrote = true;
                    produce(group.eventsTopic(), List.of(EventJson.enqueued("acl", "RESIM", 1).version(1)));
                    produceRaw(group.eventsTopic(), "not json");
                    Await.until(Duration.ofSeconds(20), "the event is listed or the view stops",
                            () -> !instance.alive() || answers(instance, "/v1.0/acl/data/queuing-jobs?queue_type=RESIM",
                                    "\"total\":1"));
                    try {
                        move = instance.put("/v1.0/acl/data/queuing-jobs/1",
                                "{\"queue_type\":\"RESIM\",\"operation_type\":\"MOVE_TOP\"}").statusCode();
                    } catch (UncheckedIOException exiting) {
                        // the view stopped meanwhile: the exit is the answer, read on the next turn
                    }
                }
            }
            String log = Files.readString(instance.log());
            double seconds = (System.nanoTime() - started) / 1e9;
            if (exit.isPresent()) {
                String last = log.lines().filter(line -> line.startsWith("queueview: could not start")
                        || line.startsWith("queueview: the view stopped")).reduce((a, b) -> b).orElse("");
                assertTrue(exit.get() != 0 && last.contains(resource), "exit " + exit.get() + ", last line: " + last);
                System.out.printf("SecuredKafkaIT: without %s: exit %d after %.1f s: %s%n", what, exit.get(), seconds,
                        last);
            } else {
                assertTrue(move != 200, "without " + what + " queueview started and wrote; log:\n" + log);
                assertTrue(log.contains(resource), "the log names " + resource);
                System.out.printf("SecuredKafkaIT: without %s: the move answered %d after %.1f s%n", what, move, seconds);
            }
        } finally {
            instance.kill();
        }
    }

    /**
     * Not a timed assertion: prints start-to-ready over SASL_SSL (SCRAM) and over the same broker's PLAINTEXT
     * listener, alternately, empty topics each time, for the ratio docs/benchmarks.md quotes.
     */
    @Test
    void printsStartToReadyOverSaslSslAgainstPlaintext() throws Exception {
        List<String> rounds = new ArrayList<>();
        double secured = 0;
        double plain = 0;
        for (int round = 0; round < 2; round++) {
            for (boolean overSasl : List.of(false, true)) {
                ServiceInstance.Group group = overSasl
                        ? broker.group(groupFolder(WayIn.SCRAM.toString()), 2, WayIn.SCRAM)
                        : ServiceInstance.Group.on(broker.adminBootstrap(), groupFolder("plain-" + round), 2);
                if (overSasl) {
                    broker.grantDocumentedAcls(WayIn.SCRAM, group);
                }
                ServiceInstance instance = group.instance(overSasl ? "timed-sasl" : "timed-plain");
                long started = System.nanoTime();
                instance.start();
                try {
                    instance.awaitReady(START);
                } finally {
                    instance.kill();
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                if (overSasl) {
                    secured += seconds;
                } else {
                    plain += seconds;
                }
                rounds.add(String.format(Locale.ROOT, "%s %.1f s", overSasl ? "SASL_SSL" : "PLAINTEXT",
                        seconds));
            }
        }
        System.out.printf(Locale.ROOT, "SecuredKafkaIT: start to ready %s; SASL_SSL / PLAINTEXT %.2f%n",
                rounds, secured / plain);
    }

    @Test
    void aWrongPasswordStopsTheStartWithOneLineSayingTheCredentialsWereRefused() throws Exception {
        ServiceInstance.Group group = broker.group(groupFolder("wrong password"), 2, WayIn.SCRAM,
                broker.clientConfig(WayIn.SCRAM), "not-the-password");
        assertStartFails(group.instance("wrong-password"), 1, "the cluster refused queueview's credentials");
    }

    @Test
    void aBrokerCertificateFromAnotherCaStopsTheStartSayingSo() throws Exception {
        TestCertificates other = TestCertificates.createIn(folder.resolve("other-ca"));
        String config = broker.clientConfig(WayIn.SCRAM)
                .replace(broker.certificates().truststore().toString(), other.truststore().toString());
        assertStartFails(broker.group(groupFolder("untrusted"), 2, WayIn.SCRAM, config, SCRAM_PASSWORD)
                .instance("untrusted"), 1,
                "the TLS handshake failed");
    }

    @Test
    void anExpiredClientCertificateStopsTheStartSayingTheHandshakeFailed() throws Exception {
        Path expired = broker.certificates().keystore("queueview-expired", "-3d", 1);
        String config = broker.clientConfig(WayIn.CLIENT_CERTIFICATE)
                .replaceAll("ssl.keystore.location=.*", "ssl.keystore.location=" + expired);
        assertStartFails(broker.group(groupFolder("expired"), 2, WayIn.CLIENT_CERTIFICATE, config, SCRAM_PASSWORD)
                .instance("expired"), 1, "the TLS handshake failed");
    }

    @Test
    void aSettingQueueviewOwnsIsRefusedNamingTheKey() throws Exception {
        String config = broker.clientConfig(WayIn.SCRAM) + "application.id=mine\n";
        assertStartFails(broker.group(groupFolder("owned key"), 2, WayIn.SCRAM, config, SCRAM_PASSWORD)
                .instance("owned"), 2,
                "it sets application.id, which queueview sets itself (from QUEUEVIEW_APPLICATION_ID)");
    }

    private static void assertStartFails(ServiceInstance instance, int exitCode, String line) throws Exception {
        long started = System.nanoTime();
        instance.start();
        try {
            Optional<Integer> exit = instance.exitCode(Duration.ofSeconds(60));
            String log = Files.readString(instance.log());
            assertEquals(Optional.of(exitCode), exit, "exit code within 60 s; log:\n" + log);
            assertTrue(log.contains(line), log);
            assertFalse(log.contains(SCRAM_PASSWORD), "no password in the log");
            System.out.printf("SecuredKafkaIT: %s: exit %d after %.1f s%n", instance.name(), exitCode,
                    (System.nanoTime() - started) / 1e9);
        } finally {
            instance.kill();
        }
    }

    /** A folder of its own for a group, named after what it tries. */
    private static Path groupFolder(String label) throws IOException {
        return Files.createDirectories(folder.resolve(label.replaceAll("[^a-zA-Z0-9]+", "-") + "-"
                + System.nanoTime()));
    }

    private static void produce(String topic, List<EventJson> events) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.adminBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (EventJson event : events) {
                producer.send(new ProducerRecord<>(topic, Long.toString(event.id()).getBytes(StandardCharsets.UTF_8),
                        event.bytes()));
            }
            producer.flush();
        }
    }

    private static boolean answers(ServiceInstance instance, String pathAndQuery, String part) {
        try {
            return instance.get(pathAndQuery).body().contains(part);
        } catch (UncheckedIOException notAnswering) {
            return false;
        }
    }

    private static void produceRaw(String topic, String value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.adminBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, null, value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    /** Committed records of a topic, read as the super user until at least this many came (or 20 s passed). */
    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.adminBootstrap());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
