package io.queueview.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.queueview.testing.ExternalTool;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml at the project root (the working directory of tests under Maven): that Compose
 * accepts it, with the secured profile too, that it configures queueview only with variables queueview really reads,
 * and that the secured profile's files (docker/secured) fit queueview and docs/kafka-security.md.
 */
class DockerComposeTest {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final String COMPOSE_COMMAND = "docker-compose";
    private static final long TIMEOUT_SECONDS = 60;
    /** Every mention counts, comments included: a commented example must name a real setting too. */
    private static final Pattern SETTING_NAME = Pattern.compile("\\bQUEUEVIEW_[A-Z0-9_]+");
    private static final List<String> SECURED_SERVICES = List.of("secured-certs", "kafka-secured",
            "kafka-secured-setup", "queueview-secured");
    private static final Path SECURED_KAFKA_CONFIG = Path.of("docker/secured/queueview-kafka.properties");
    private static final Path GRANT_SCRIPT = Path.of("docker/secured/grant-acls.sh");
    private static final Path SECURITY_DOC = Path.of("docs/kafka-security.md");
    private static final String CERTIFICATE_VOLUME = "secured-certs";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path SECURED_ADMIN_CONFIG = Path.of("docker/secured/admin.properties");
    /** The variables the apache/kafka image does not turn into broker settings (KafkaDockerWrapper's list). */
    private static final Set<String> IMAGE_NON_SETTINGS = Set.of("KAFKA_VERSION", "KAFKA_HEAP_OPT",
            "KAFKA_LOG4J_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS",
            "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL", "KAFKA_JMX_HOSTNAME");
    private static final Pattern JAAS_LOGIN = Pattern.compile("username=\"([^\"]+)\"\\s+password=\"([^\"]+)\"");

    private static JsonNode securedProfile;

    @Test
    void composeFileIsValid() throws IOException, InterruptedException {
        composeConfig();
    }

    /** The secured profile's services are accepted too, all four of them under that profile. */
    @Test
    void composeFileIsValidWithTheSecuredProfile() throws IOException, InterruptedException {
        JsonNode services = securedProfile().path("services");
        for (String service : SECURED_SERVICES) {
            assertTrue(services.has(service), () -> "the secured profile has no service " + service);
            assertEquals("[\"secured\"]", services.path(service).path("profiles").toString(),
                    () -> service + " is not (only) in the secured profile");
        }
    }

    /**
     * queueview-secured mounts the very properties file that QUEUEVIEW_KAFKA_CONFIG names, is given every variable
     * the file's ${env:...} values read, and finds the trust store on the certificate volume.
     */
    @Test
    void securedQueueviewHasWhatItsKafkaSettingsRefer() throws IOException, InterruptedException {
        JsonNode queueview = securedProfile().path("services").path("queueview-secured");
        JsonNode environment = queueview.path("environment");
        List<String> volumes = new ArrayList<>();
        queueview.path("volumes").forEach(volume -> volumes.add(volume.asText()));

        String configFile = environment.path("QUEUEVIEW_KAFKA_CONFIG").asText();
        String source = SECURED_KAFKA_CONFIG.toAbsolutePath().toString();
        assertTrue(volumes.stream().anyMatch(volume -> volume.startsWith(source + ":" + configFile + ":")),
                () -> "queueview-secured does not mount " + source + " at " + configFile + ": " + volumes);

        Matcher reference = ENV_REFERENCE.matcher(Files.readString(SECURED_KAFKA_CONFIG, StandardCharsets.UTF_8));
        while (reference.find()) {
            String variable = reference.group(1);
            assertTrue(environment.hasNonNull(variable), () -> SECURED_KAFKA_CONFIG + " reads ${env:" + variable
                    + "}, which queueview-secured is not given");
        }

        Path truststore = Path.of(KafkaClientConfig.load("QUEUEVIEW_KAFKA_CONFIG", SECURED_KAFKA_CONFIG)
                .get("ssl.truststore.location"));
        assertTrue(volumes.stream().anyMatch(volume -> volume.startsWith(CERTIFICATE_VOLUME + ":"
                        + truststore.getParent() + ":")),
                () -> "queueview-secured does not mount the volume " + CERTIFICATE_VOLUME + " at "
                        + truststore.getParent() + ": " + volumes);
    }

    /**
     * kafka-secured's environment, turned into broker settings as the apache/kafka image does it (KAFKA_ dropped, "_"
     * a ".", "__" a "_", "___" a "-"; its start script adds the key store's location and passwords from the files
     * it names), is a configuration Kafka's own KafkaConfig accepts: listeners, mechanisms and the authorizer fit
     * together, each JAAS entry parses, and the super user's client settings log in with a password the PLAIN
     * listeners accept.
     */
    @Test
    void securedBrokerEnvironmentIsAConfigurationKafkaAccepts() throws IOException, InterruptedException {
        JsonNode environment = securedProfile().path("services").path("kafka-secured").path("environment");
        Map<String, String> broker = new TreeMap<>();
        environment.fields().forEachRemaining(variable -> {
            String name = variable.getKey();
            if (name.startsWith("KAFKA_") && !IMAGE_NON_SETTINGS.contains(name)) {
                broker.put(name.replace("KAFKA_", "").toLowerCase(Locale.ROOT).replace("_", ".").replace("...", "-")
                        .replace("..", "_"), variable.getValue().asText());
            }
        });
        assertTrue(environment.path("KAFKA_OPTS").asText().length() > 0,
                "the image's start script refuses a SASL listener with KAFKA_OPTS empty");
        broker.put("ssl.keystore.location",
                "/etc/kafka/secrets/" + environment.path("KAFKA_SSL_KEYSTORE_FILENAME").asText());
        broker.put("ssl.keystore.password", "from-the-credentials-file");
        broker.put("ssl.key.password", "from-the-credentials-file");

        KafkaConfig config = new KafkaConfig(broker, false);
        assertEquals(StandardAuthorizer.class.getName(), broker.get("authorizer.class.name"));
        assertEquals("false", broker.get("allow.everyone.if.no.acl.found"));
        assertEquals("SCRAM-SHA-512", broker.get("listener.name.sasl_ssl.sasl.enabled.mechanisms"));
        // what the broker does at start for each SASL listener and mechanism; no JAAS file is given, so a listener
        // without its own entry, or an entry that does not parse, fails here as it would there
        for (Map.Entry<ListenerName, SecurityProtocol> listener
                : config.effectiveListenerSecurityProtocolMap().entrySet()) {
            if (listener.getValue() == SecurityProtocol.SASL_SSL
                    || listener.getValue() == SecurityProtocol.SASL_PLAINTEXT) {
                Map<String, Object> values = config.valuesWithPrefixOverride(listener.getKey().configPrefix());
                for (Object mechanism : (List<?>) values.get("sasl.enabled.mechanisms")) {
                    JaasContext context = JaasContext.loadServerContext(listener.getKey(), (String) mechanism, values);
                    assertEquals(1, context.configurationEntries().size(), () -> listener + " " + mechanism);
                }
            }
        }

        Map<String, String> admin = loadProperties(SECURED_ADMIN_CONFIG);
        Matcher login = JAAS_LOGIN.matcher(admin.get("sasl.jaas.config"));
        assertTrue(login.find(), () -> SECURED_ADMIN_CONFIG + " has no username and password");
        String accepted = "user_" + login.group(1) + "=\"" + login.group(2) + "\"";
        for (String listener : List.of("broker", "controller")) {
            String jaas = broker.get("listener.name." + listener + ".plain.sasl.jaas.config");
            assertTrue(jaas != null && jaas.contains(accepted), () -> "the " + listener + " listener does not accept "
                    + SECURED_ADMIN_CONFIG + "'s user");
        }
        assertTrue(broker.get("super.users").contains("User:" + login.group(1)), "the admin is the super user");
    }

    /** The file is one queueview starts with: no key it refuses, and SCRAM over TLS as the profile's broker wants. */
    @Test
    void securedKafkaSettingsAreOnesQueueviewAccepts() {
        Map<String, String> settings = KafkaClientConfig.load("QUEUEVIEW_KAFKA_CONFIG", SECURED_KAFKA_CONFIG);
        assertEquals("SASL_SSL", settings.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"));
        assertTrue(settings.get("sasl.jaas.config").contains("${env:QV_KAFKA_PASSWORD}"),
                "the password comes from the environment, not the file");
    }

    /**
     * The ACL list is kept in one form: the profile's setup script grants, line for line, the kafka-acls.sh
     * commands docs/kafka-security.md lists (spacing aside).
     */
    @Test
    void grantScriptGrantsExactlyTheDocumentedAcls() throws IOException {
        List<String> documented = aclCommands(SECURITY_DOC);
        List<String> granted = aclCommands(GRANT_SCRIPT);
        assertFalse(documented.isEmpty(), () -> SECURITY_DOC + " lists no kafka-acls.sh --add command");
        assertEquals(documented, granted, () -> GRANT_SCRIPT + " does not grant what " + SECURITY_DOC + " lists");
    }

    /** The file as Compose resolves it with the secured profile (anchors and merges applied), read once. */
    private static synchronized JsonNode securedProfile() throws IOException, InterruptedException {
        if (securedProfile == null) {
            securedProfile = YAML.readTree(composeConfig("--profile", "secured"));
        }
        return securedProfile;
    }

    /** Each "kafka-acls.sh ... --add ..." command of a file, continuation lines joined, runs of spaces made one. */
    private static List<String> aclCommands(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).replaceAll("\\\\\\R\\s*", " ");
        List<String> commands = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String command = line.strip().replaceAll("\\s+", " ");
            if (command.startsWith("kafka-acls.sh ") && command.contains(" --add ")) {
                commands.add(command);
            }
        }
        return commands;
    }

    private static Map<String, String> loadProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
        return settings;
    }

    /** What {@code docker-compose [options] config} prints for the file; a failure if Compose rejects it. */
    private static String composeConfig(String... options) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(COMPOSE_FILE), () -> "no " + COMPOSE_FILE.toAbsolutePath());
        Assumptions.assumeTrue(ExternalTool.onPath(COMPOSE_COMMAND) != null, COMPOSE_COMMAND + " is not on the PATH;"
                + " install docker-compose (apt-get install -y docker-compose) to validate docker-compose.yml."
                + " It needs no Docker engine for this. CI installs it.");

        List<String> command = new ArrayList<>(List.of(COMPOSE_COMMAND, "-f", COMPOSE_FILE.toString()));
        command.addAll(List.of(options));
        command.add("config");
        Path out = Files.createTempFile("compose-config", ".out");
        Path err = Files.createTempFile("compose-config", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(new File(System.getProperty("user.dir")))
                    .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            int exit = process.exitValue();
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, exit, () -> String.join(" ", command) + " rejects " + COMPOSE_FILE + " (exit " + exit
                    + "):\n" + stderr);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void composeSetsOnlyRealSettings() throws IOException {
        String compose = Files.readString(COMPOSE_FILE, StandardCharsets.UTF_8);
        Set<String> found = new TreeSet<>();
        Matcher matcher = SETTING_NAME.matcher(compose);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        assertFalse(found.isEmpty(), "docker-compose.yml sets no QUEUEVIEW_* variable");

        Set<String> unknown = new TreeSet<>(found);
        unknown.removeAll(Settings.VARIABLES);
        assertTrue(unknown.isEmpty(), () -> "docker-compose.yml sets variables that queueview does not read: "
                + unknown + "; its settings are " + new TreeSet<>(Settings.VARIABLES));
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "NUL" : "/dev/null";
    }
}
