package io.queueview.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    @Test
    void defaultsRunTheEmbeddedBrokerWithDemoData() {
        Settings settings = Settings.from(Map.of());
        assertTrue(settings.kafka().embedded());
        assertNull(settings.kafka().bootstrap());
        assertTrue(settings.demo());
        assertEquals(8080, settings.http().port());
        assertEquals("127.0.0.1", settings.http().host());
        assertEquals(9092, settings.kafka().embeddedPort());
        assertEquals(Path.of("./data"), settings.dataDir());
        assertEquals("queue-events", settings.topics().events());
        assertEquals("queue-events-dlq", settings.topics().deadLetters());
        assertEquals("exactly_once_v2", settings.view().processingGuarantee());
        assertEquals(Duration.ofHours(24), settings.view().removalMarkerTtl());
        assertEquals(1, settings.view().replicationFactor());
        assertEquals(1, settings.view().standbyReplicas());
        assertEquals("classic", settings.view().groupProtocol());
        assertEquals(Duration.ofSeconds(6), settings.view().sessionTimeout());
        assertNull(settings.auth().jwks(), "JWTs are off until a JWKS is configured");
        assertNull(settings.auth().jwtIssuer());
        assertNull(settings.auth().jwtAudience());
        assertEquals("projects", settings.auth().jwtProjectsClaim());
        assertEquals("actions", settings.auth().jwtActionsClaim());
        assertEquals(Duration.ofSeconds(30), settings.auth().jwtClockSkew());
    }

    @Test
    void aKafkaClientFileReachesEveryClientWithItsProviderReferencesLeftToKafka(@TempDir Path folder)
            throws IOException {
        Path file = Files.writeString(folder.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                config.providers=env
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="qv" password="${env:QV_PASSWORD}";
                """);
        Settings settings = Settings.from(Map.of("QUEUEVIEW_KAFKA_BOOTSTRAP", "kafka:9093",
                "QUEUEVIEW_KAFKA_CONFIG", file.toString()));
        Map<String, Object> client = settings.kafka().client("kafka:9093");
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("kafka:9093", client.get("bootstrap.servers"));
        assertTrue(((String) client.get("sasl.jaas.config")).endsWith("password=\"${env:QV_PASSWORD}\";"));
    }

    @ParameterizedTest
    @CsvSource({"application.id=mine, application.id", "producer.transactional.id=x, producer.transactional.id",
            "main.consumer.isolation.level=read_uncommitted, main.consumer.isolation.level",
            "bootstrap.servers=elsewhere:9092, bootstrap.servers"})
    void aKafkaClientFileMaySetNothingQueueviewOwns(String line, String key, @TempDir Path folder) throws IOException {
        Path file = Files.writeString(folder.resolve("client.properties"), "security.protocol=SSL\n" + line + "\n");
        InvalidSetting refused = assertThrows(InvalidSetting.class, () -> Settings.from(Map.of(
                "QUEUEVIEW_KAFKA_BOOTSTRAP", "kafka:9093", "QUEUEVIEW_KAFKA_CONFIG", file.toString())));
        assertTrue(refused.getMessage().startsWith("QUEUEVIEW_KAFKA_CONFIG='" + file + "' is invalid: it sets " + key
                + ", which queueview sets itself"), refused.getMessage());
    }

    @Test
    void aKafkaClientFileNeedsAClusterAndMustBeReadable(@TempDir Path folder) throws IOException {
        Path file = Files.writeString(folder.resolve("client.properties"), "security.protocol=SSL\n");
        assertTrue(assertThrows(InvalidSetting.class, () -> Settings.from(Map.of("QUEUEVIEW_KAFKA_CONFIG",
                file.toString()))).getMessage().contains("the embedded broker takes no client settings"));
        assertTrue(assertThrows(InvalidSetting.class, () -> Settings.from(Map.of("QUEUEVIEW_KAFKA_BOOTSTRAP", "k:9092",
                "QUEUEVIEW_KAFKA_CONFIG", folder.resolve("missing").toString()))).getMessage()
                .contains("expected a readable Kafka client properties file"));
    }

    @Test
    void jwtSettingsAreRead() {
        Settings settings = Settings.from(Map.of("QUEUEVIEW_JWKS", "https://idp.example/.well-known/jwks.json",
                "QUEUEVIEW_JWT_ISSUER", "https://idp.example", "QUEUEVIEW_JWT_AUDIENCE", "queueview",
                "QUEUEVIEW_JWT_PROJECTS_CLAIM", "tenants", "QUEUEVIEW_JWT_ACTIONS_CLAIM", "scope",
                "QUEUEVIEW_JWT_CLOCK_SKEW", "PT0S"));
        assertEquals("https://idp.example/.well-known/jwks.json", settings.auth().jwks());
        assertEquals("https://idp.example", settings.auth().jwtIssuer());
        assertEquals("queueview", settings.auth().jwtAudience());
        assertEquals("tenants", settings.auth().jwtProjectsClaim());
        assertEquals("scope", settings.auth().jwtActionsClaim());
        assertEquals(Duration.ZERO, settings.auth().jwtClockSkew());
        assertEquals("/etc/queueview/jwks.json",
                Settings.from(Map.of("QUEUEVIEW_JWKS", "/etc/queueview/jwks.json")).auth().jwks());
    }

    @Test
    void membershipSettingsAreRead() {
        Settings settings = Settings.from(Map.of("QUEUEVIEW_STANDBY_REPLICAS", "0", "QUEUEVIEW_GROUP_PROTOCOL",
                "streams", "QUEUEVIEW_SESSION_TIMEOUT", "PT10S"));
        assertEquals(0, settings.view().standbyReplicas());
        assertEquals("streams", settings.view().groupProtocol());
        assertEquals(Duration.ofSeconds(10), settings.view().sessionTimeout());
    }

    @Test
    void aConfiguredClusterMeansNoBrokerNoDemoAndTheBrokersReplicationDefault() {
        Settings settings = Settings.from(Map.of("QUEUEVIEW_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:9092"));
        assertFalse(settings.kafka().embedded());
        assertFalse(settings.demo());
        assertEquals(-1, settings.view().replicationFactor());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "QUEUEVIEW_HTTP_PORT, 80800",
        "QUEUEVIEW_HTTP_PORT, http",
        "QUEUEVIEW_EMBEDDED_KAFKA_PORT, -1",
        "QUEUEVIEW_DEMO, yes",
        "QUEUEVIEW_PARTITIONS, 0",
        "QUEUEVIEW_REPLICATION_FACTOR, 0",
        "QUEUEVIEW_PROCESSING_GUARANTEE, exactly_once",
        "QUEUEVIEW_REMOVAL_MARKER_TTL, 24h",
        "QUEUEVIEW_STREAM_THREADS, 0",
        "QUEUEVIEW_STANDBY_REPLICAS, -1",
        "QUEUEVIEW_STANDBY_REPLICAS, one",
        "QUEUEVIEW_GROUP_PROTOCOL, consumer",
        "QUEUEVIEW_SESSION_TIMEOUT, 5s",
        "QUEUEVIEW_JWKS, https://",
        "QUEUEVIEW_JWKS, http://exa mple/jwks",
        "QUEUEVIEW_JWT_CLOCK_SKEW, 30s",
        "QUEUEVIEW_JWT_CLOCK_SKEW, PT6M",
        "QUEUEVIEW_JWT_CLOCK_SKEW, -PT1S",
    })
    void aWrongValueStopsStartUpNamingTheVariable(String variable, String value) {
        InvalidSetting error = assertThrows(InvalidSetting.class, () -> Settings.from(Map.of(variable, value)));
        assertTrue(error.getMessage().startsWith(variable + "='" + value + "' is invalid: expected"), error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void everyListedVariableIsRead() {
        Settings defaults = Settings.from(Map.of());
        for (String variable : Settings.VARIABLES) {
            try {
                assertFalse(defaults.equals(Settings.from(Map.of(variable, "x"))), variable + " is not read");
            } catch (InvalidSetting rejected) {
                assertTrue(rejected.getMessage().startsWith(variable), rejected.getMessage());
            }
        }
    }

    /**
     * Each variable, given a value of its own, changes its own setting and no other (the record's components are
     * compared one by one): two settings wired the wrong way round, five topic names side by side say, fail here.
     * A few variables also move a default that depends on them; those are named with it.
     */
    @Test
    void eachVariableChangesItsOwnSettingAndNoOther() throws Exception {
        Map<String, List<String>> owns = new TreeMap<>(Map.ofEntries(
                Map.entry("QUEUEVIEW_HTTP_HOST=10.1.2.3", List.of("http.host", "http.advertisedHost")),
                Map.entry("QUEUEVIEW_HTTP_PORT=8181", List.of("http.port")),
                Map.entry("QUEUEVIEW_ADVERTISED_HOST=peer-host", List.of("http.advertisedHost")),
                Map.entry("QUEUEVIEW_DATA_DIR=/tmp/qv-data", List.of("dataDir")),
                Map.entry("QUEUEVIEW_KAFKA_BOOTSTRAP=kafka:9093",
                        List.of("kafka.bootstrap", "demo", "view.replicationFactor")),
                Map.entry("QUEUEVIEW_EMBEDDED_KAFKA_PORT=9192", List.of("kafka.embeddedPort")),
                Map.entry("QUEUEVIEW_DEMO=false", List.of("demo")),
                Map.entry("QUEUEVIEW_TOKENS_FILE=/tmp/tokens.json", List.of("auth.tokensFile")),
                Map.entry("QUEUEVIEW_DEMO_TOKEN=demo-x", List.of("auth.demoToken")),
                Map.entry("QUEUEVIEW_APPLICATION_ID=app-x", List.of("view.applicationId")),
                Map.entry("QUEUEVIEW_EVENTS_TOPIC=t-events", List.of("topics.events")),
                Map.entry("QUEUEVIEW_DLQ_TOPIC=t-dlq", List.of("topics.deadLetters")),
                Map.entry("QUEUEVIEW_CHANGES_TOPIC=t-changes", List.of("topics.changes")),
                Map.entry("QUEUEVIEW_COMMANDS_TOPIC=t-commands", List.of("topics.commands")),
                Map.entry("QUEUEVIEW_AUDIT_TOPIC=t-audit", List.of("topics.audit")),
                Map.entry("QUEUEVIEW_WRITE_TIMEOUT=PT7S", List.of("writeTimeout")),
                Map.entry("QUEUEVIEW_PARTITIONS=7", List.of("view.partitions")),
                Map.entry("QUEUEVIEW_REPLICATION_FACTOR=3", List.of("view.replicationFactor")),
                Map.entry("QUEUEVIEW_PROCESSING_GUARANTEE=at_least_once", List.of("view.processingGuarantee")),
                Map.entry("QUEUEVIEW_REMOVAL_MARKER_TTL=PT3H", List.of("view.removalMarkerTtl")),
                Map.entry("QUEUEVIEW_STREAM_THREADS=3", List.of("view.streamThreads")),
                Map.entry("QUEUEVIEW_COMMIT_INTERVAL=PT2S", List.of("view.commitInterval", "view.transactionTimeout")),
                Map.entry("QUEUEVIEW_TRANSACTION_TIMEOUT=PT15S", List.of("view.transactionTimeout")),
                Map.entry("QUEUEVIEW_STANDBY_REPLICAS=2", List.of("view.standbyReplicas")),
                Map.entry("QUEUEVIEW_GROUP_PROTOCOL=streams", List.of("view.groupProtocol")),
                Map.entry("QUEUEVIEW_SESSION_TIMEOUT=PT9S", List.of("view.sessionTimeout")),
                Map.entry("QUEUEVIEW_JWKS=/tmp/jwks.json", List.of("auth.jwks")),
                Map.entry("QUEUEVIEW_JWT_ISSUER=issuer-x", List.of("auth.jwtIssuer")),
                Map.entry("QUEUEVIEW_JWT_AUDIENCE=audience-x", List.of("auth.jwtAudience")),
                Map.entry("QUEUEVIEW_JWT_PROJECTS_CLAIM=p-claim", List.of("auth.jwtProjectsClaim")),
                Map.entry("QUEUEVIEW_JWT_ACTIONS_CLAIM=a-claim", List.of("auth.jwtActionsClaim")),
                Map.entry("QUEUEVIEW_JWT_CLOCK_SKEW=PT1M", List.of("auth.jwtClockSkew")),
                Map.entry("QUEUEVIEW_METRICS_MAX_QUEUES=7", List.of("metricsMaxQueues")),
                Map.entry("QUEUEVIEW_METRICS_TOKEN_REQUIRED=true", List.of("metricsNeedToken")),
                Map.entry("QUEUEVIEW_LOG_FORMAT=json", List.of("logFormat")),
                Map.entry("QUEUEVIEW_CHANGE_STREAMS_MAX=7", List.of("http.changeStreamsMax")),
                Map.entry("QUEUEVIEW_CHANGE_STREAMS_PER_TOKEN=3", List.of("http.changeStreamsPerToken")),
                Map.entry("QUEUEVIEW_STANDBY_MAX_LAG=7", List.of("http.standbyMaxLag")),
                Map.entry("QUEUEVIEW_START_TIMEOUT=PT2M", List.of("startTimeout"))));
        // read with another variable or a file, each in its own tests (HttpTls, KafkaClientConfig)
        Set<String> elsewhere = Set.of("QUEUEVIEW_KAFKA_CONFIG", "QUEUEVIEW_HTTP_TLS_CERT", "QUEUEVIEW_HTTP_TLS_KEY",
                "QUEUEVIEW_HTTP_TLS_KEYSTORE", "QUEUEVIEW_HTTP_TLS_KEYSTORE_PASSWORD", "QUEUEVIEW_PEER_TLS_CA");
        Set<String> covered = new TreeSet<>(elsewhere);
        owns.keySet().forEach(assignment -> covered.add(assignment.substring(0, assignment.indexOf('='))));
        assertEquals(new TreeSet<>(Settings.VARIABLES), covered, "a variable without a case here");

        Settings defaults = Settings.from(Map.of());
        for (Map.Entry<String, List<String>> owned : owns.entrySet()) {
            String[] assignment = owned.getKey().split("=", 2);
            Settings changed = Settings.from(Map.of(assignment[0], assignment[1]));
            Set<String> differing = new TreeSet<>();
            differences("", defaults, changed, differing);
            assertEquals(new TreeSet<>(owned.getValue()), differing, owned.getKey() + " changed these settings");
        }
    }

    /** The settings, by path ("topics.events"), in which two records of settings differ. */
    private static void differences(String path, Record before, Record after, Set<String> differing)
            throws ReflectiveOperationException {
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            Method read = component.getAccessor();
            Object was = read.invoke(before);
            Object is = read.invoke(after);
            String name = path + component.getName();
            boolean group = component.getType().getEnclosingClass() == Settings.class;
            if (group && was instanceof Record wasGroup && is instanceof Record isGroup) {
                differences(name + ".", wasGroup, isGroup, differing);
            } else if (!Objects.equals(was, is)) {
                differing.add(name);
            }
        }
    }

    /** The configuration table (docs/configuration.md) is the reference: every variable in it, none that is not read, each default true. */
    @Test
    void theConfigurationReferenceListsEveryVariableWithItsTrueDefault() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(CONFIGURATION_REFERENCE)) {
            Matcher row = REFERENCE_ROW.matcher(line);
            if (row.matches()) {
                documented.put(row.group(1), row.group(2).trim());
            }
        }
        assertEquals(new TreeSet<>(Settings.VARIABLES), documented.keySet(),
                CONFIGURATION_REFERENCE + "'s table and the variables Settings reads differ");
        Settings defaults = Settings.from(Map.of());
        int checked = 0;
        for (Map.Entry<String, String> row : documented.entrySet()) {
            Matcher literal = ONE_VALUE.matcher(row.getValue());
            if (literal.matches()) { // "`PT5S`"; prose defaults ("unset = ...", "`1` embedded, ...") are read by people
                assertEquals(defaults, Settings.from(Map.of(row.getKey(), literal.group(1))),
                        row.getKey() + ": " + CONFIGURATION_REFERENCE + " gives the default " + row.getValue() + ", but it is not");
                checked++;
            }
        }
        assertTrue(checked >= 20, "only " + checked + " defaults were plain values");
    }

    private static final Path CONFIGURATION_REFERENCE = Path.of("docs", "configuration.md");
    private static final Pattern REFERENCE_ROW = Pattern.compile("\\| `(QUEUEVIEW_[A-Z_]+)` \\|([^|]*)\\|.*");
    private static final Pattern ONE_VALUE = Pattern.compile("`([^`]+)`");
}
