package io.queueview.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.queue.QueueId;
import io.queueview.testing.FreePort;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * queueview as users run it — {@code java -Xmx768m -jar target/queueview.jar}, the README's command, its own
 * process — against the benchmark's broker: the time until every event is queryable over HTTP, and the process's
 * peak resident set (VmHWM), which the in-process figures cannot tell apart from the broker's.
 */
final class ServiceProcess {

    record Result(double eventsPerSecond, long peakRssMib) {
    }

    private ServiceProcess() {
    }

    /** Empty when the jar is not built (run through Maven's verify phase, or package first). */
    static java.util.Optional<Result> measure(Path workDir, String bootstrap, String eventsTopic, int partitions,
                                              List<QueueId> queues, long events, PrintStream log) throws Exception {
        Path jar = Path.of("target", "queueview.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            log.println("service process: " + jar + " is not built; skipped");
            return java.util.Optional.empty();
        }
        Path dataDir = Files.createDirectories(workDir.resolve("service"));
        int port = FreePort.find();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("service.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("QUEUEVIEW_"));
        env.putAll(Map.of("QUEUEVIEW_KAFKA_BOOTSTRAP", bootstrap, "QUEUEVIEW_DATA_DIR", dataDir.toString(),
                "QUEUEVIEW_HTTP_PORT", Integer.toString(port), "QUEUEVIEW_EVENTS_TOPIC", eventsTopic,
                "QUEUEVIEW_APPLICATION_ID", "queueview-process", "QUEUEVIEW_DLQ_TOPIC", "process-dlq",
                "QUEUEVIEW_CHANGES_TOPIC", "process-changes", "QUEUEVIEW_COMMANDS_TOPIC", "process-commands",
                "QUEUEVIEW_PARTITIONS", Integer.toString(partitions), "QUEUEVIEW_REPLICATION_FACTOR", "1"));
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            Path tokenFile = dataDir.resolve("demo-token");
            long deadline = started + TimeUnit.MINUTES.toNanos(15);
            while (queryable(http, port, tokenFile, queues) < events) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the service process did not make every event queryable; see "
                            + workDir.resolve("service.log"));
                }
                Thread.sleep(1000);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long rss = peakRssMib(process.pid());
            log.printf("service process: %,d events queryable %.1f s after java -Xmx768m -jar; peak RSS %,d MiB%n", events,
                    seconds, rss);
            return java.util.Optional.of(new Result(events / seconds, rss));
        } finally {
            process.destroy(); // SIGTERM: the service shuts down cleanly
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Entries listed over HTTP in all queues, or 0 while the service is not answering yet. */
    private static long queryable(HttpClient http, int port, Path tokenFile, List<QueueId> queues) throws Exception {
        if (!Files.exists(tokenFile)) {
            return 0;
        }
        String token = Files.readString(tokenFile).trim();
        ObjectMapper json = new ObjectMapper();
        long total = 0;
        for (QueueId queue : queues) {
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1.0/"
                        + queue.projectId() + "/data/queuing-jobs?limit=1&queue_type=" + queue.type()))
                        .header("X-Auth-Token", token).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException notListening) {
                return 0;
            }
            if (response.statusCode() != 200) {
                return 0;
            }
            total += json.readTree(response.body()).at("/payload/page_info/total").asLong();
        }
        return total;
    }

    /** Peak resident set of a process on this machine (VmHWM), in MiB. */
    static long peakRssMib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
                .findFirst().orElse(-1L);
    }
}
