package io.queueview.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml at the project root (the working directory of tests under Maven): that Compose
 * accepts it, and that it configures queueview only with variables queueview really reads.
 */
class DockerComposeTest {

    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final String COMPOSE_COMMAND = "docker-compose";
    private static final long TIMEOUT_SECONDS = 60;
    /** Every mention counts, comments included: a commented example must name a real setting too. */
    private static final Pattern SETTING_NAME = Pattern.compile("\\bQUEUEVIEW_[A-Z0-9_]+");

    @Test
    void composeFileIsValid() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(COMPOSE_FILE), () -> "no " + COMPOSE_FILE.toAbsolutePath());
        Assumptions.assumeTrue(onPath(COMPOSE_COMMAND), COMPOSE_COMMAND + " is not on the PATH;"
                + " install docker-compose (apt-get install -y docker-compose) to validate docker-compose.yml."
                + " It needs no Docker engine for this. CI installs it.");

        Path out = Files.createTempFile("compose-config", ".out");
        Path err = Files.createTempFile("compose-config", ".err");
        try {
            Process process = new ProcessBuilder(COMPOSE_COMMAND, "-f", COMPOSE_FILE.toString(), "config", "-q")
                    .directory(new File(System.getProperty("user.dir")))
                    .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(COMPOSE_COMMAND + " config did not finish in " + TIMEOUT_SECONDS + " s");
            }
            int exit = process.exitValue();
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, exit, () -> COMPOSE_COMMAND + " config rejects " + COMPOSE_FILE + " (exit " + exit
                    + "):\n" + stderr);
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
