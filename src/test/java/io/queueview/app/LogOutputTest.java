package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.ServiceInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log of a real process, in both formats: the service is started with a data folder that cannot be created,
 * so it logs the failed start with its cause and exits at once.
 */
class LogOutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonLogsAreOneObjectPerLineWithLevelLoggerMessageAndTheFailuresCause() throws Exception {
        List<String> lines = failedStart(Map.of("QUEUEVIEW_LOG_FORMAT", "json"));
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("queueview: ")) { // Main's last word to a terminal, plain on purpose
                events.add(JSON.readTree(line)); // throws on a line that is not one JSON value
            }
        }
        assertTrue(events.stream().allMatch(JsonNode::isObject), lines.toString());
        JsonNode failure = events.stream().filter(event -> event.path("level").asText().equals("ERROR"))
                .findFirst().orElseThrow(() -> new AssertionError("no ERROR event in " + lines));
        assertEquals("io.queueview.app.Main", failure.path("loggerName").asText());
        assertEquals("could not start", failure.path("formattedMessage").asText());
        assertTrue(failure.path("timestamp").asLong() > 0, failure.toString());
        assertTrue(failure.path("throwable").toString().contains("not-a-folder"), "the cause: " + failure);
    }

    @Test
    void textLogsAreOneShortLinePerEventByDefault() throws Exception {
        List<String> lines = failedStart(Map.of());
        assertTrue(lines.stream().anyMatch(line -> line.matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[ERROR] Main - could not start")), lines.toString());
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("{")), lines.toString());
    }

    private List<String> failedStart(Map<String, String> env) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "a file where the data folder should be");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ServiceInstance.classpath(), Main.class.getName()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("QUEUEVIEW_"));
        builder.environment().putAll(env);
        builder.environment().put("QUEUEVIEW_DATA_DIR", file.resolve("data").toString());
        builder.environment().put("QUEUEVIEW_HTTP_PORT", "0");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "it stops");
        assertEquals(1, process.exitValue(), output);
        return output.lines().filter(line -> !line.isBlank()).toList();
    }
}
