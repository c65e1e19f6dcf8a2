package io.queueview.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void composeFileIsValid() throws IOException, InterruptedException {
        composeConfig();
    }

    /** The secured profile's services are accepted too, all four of them under that profile. */
    @Test
    void composeFileIsValidWithTheSecuredProfile() throws IOException, InterruptedException {
        JsonNode services = YAML.readTree(composeConfig("--profile", "secured")).path("services");
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
        JsonNode queueview = YAML.readTree(composeConfig("--profile", "secured")).path("services")
                .path("queueview-secured");
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
                () -> "queueview-secured does not mount the volume " + CERTIFICATE_VOLUME + " at " + truststore.getParent()
                        + ": " + volumes);
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

    /** What {@code docker-compose config} prints for the file (with the given options before "config"), or a failure. */
    private static String composeConfig(String... options) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(COMPOSE_FILE), () -> "no " + COMPOSE_FILE.toAbsolutePath());
        Assumptions.assumeTrue(onPath(COMPOSE_COMMAND), COMPOSE_COMMAND + " is not on the PATH;"
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

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            return false;
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : new String[] {command, command + ".exe"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "NUL" : "/dev/null";
    }
}
