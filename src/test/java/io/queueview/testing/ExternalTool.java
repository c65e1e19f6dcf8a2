package io.queueview.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool from the machine (Debian's curl, openssl, promtool...) run by a test: found on the PATH, given
 * no input, its output and error read together, stopped after a minute.
 */
public record ExternalTool(Path executable) {

    /** What one run printed and how it ended. */
    public record Run(int exitCode, String output) {
    }

    /** The tool on the PATH, or null: a test skips, saying what to install, when it is missing. */
    public static ExternalTool onPath(String name) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder.isBlank() ? "." : folder, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new ExternalTool(candidate);
            }
        }
        return null;
    }

    public Run run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(executable.getFileName().toString(), ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not end within 60 s");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
