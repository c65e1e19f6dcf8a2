package io.queueview.testing;

import io.queueview.app.Main;
import io.queueview.http.auth.Caller;
import io.queueview.http.auth.TokenFile;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * queueview as its own JVM process ({@code java -Xmx384m -cp target/classes:<dependencies> io.queueview.app.Main}),
 * as an operator runs it, so that a test can kill it with SIGKILL and start it again on the same data folder and
 * port. Instances of one {@link Group} share the broker, application id, topics and a token. The log goes to
 * target/service-logs/&lt;name&gt;.log (appended on restart). No instance outlives the test JVM.
 */
public final class ServiceInstance implements AutoCloseable {

    private static final Set<ServiceInstance> ALIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        // SIGKILL, not SIGTERM: the JVM is going away and must not wait for clean closes
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(ServiceInstance::kill),
                "service-instances-kill"));
    }

    private final String name;
    private final Path dataDir;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private final String token;
    private Process process;

    private ServiceInstance(String name, Path dataDir, int port, Map<String, String> env, Path log, String token) {
        this.name = name;
        this.token = token;
        this.dataDir = dataDir;
        this.port = port;
        this.env = env;
        this.log = log;
    }

    /**
     * What the instances of one test share: the shared broker, an application id, topics with the given number of
     * partitions, and a tokens file with one token for every project and action, and one for the project
     * {@link #ELSEWHERE} only.
     */
    public record Group(Path folder, Map<String, String> env, String token, String elsewhereToken) {

        /** The one project {@link #elsewhereToken} may act on. */
        public static final String ELSEWHERE = "elsewhere";

        public static Group create(Path folder, int partitions, String... overrides) throws IOException {
            return on(SharedBroker.bootstrapServers(), folder, partitions, overrides);
        }

        /** A group as {@link #create} makes one, on another broker than the shared one (which is then not started). */
        public static Group on(String bootstrapServers, Path folder, int partitions, String... overrides)
                throws IOException {
            String token = SharedBroker.unique("it-token");
            String elsewhereToken = SharedBroker.unique("it-elsewhere-token");
            Path tokens = folder.resolve("tokens.json");
            Files.createDirectories(folder);
            Files.writeString(tokens, """
                    {"tokens":[{"name":"it","sha256":"%s","projects":["*"],"actions":["%s","%s"]},
                               {"name":"elsewhere","sha256":"%s","projects":["%s"],"actions":["%s","%s"]}]}
                    """.formatted(TokenFile.sha256Hex(token), Caller.LIST, Caller.UPDATE,
                    TokenFile.sha256Hex(elsewhereToken), ELSEWHERE, Caller.LIST, Caller.UPDATE), StandardCharsets.UTF_8);
            Map<String, String> env = new HashMap<>();
            List<String> group = SharedBroker.group(bootstrapServers, partitions);
            for (int i = 0; i < group.size(); i += 2) {
                env.put(group.get(i), group.get(i + 1));
            }
            env.put("QUEUEVIEW_TOKENS_FILE", tokens.toString());
            for (int i = 0; i < overrides.length; i += 2) {
                env.put(overrides[i], overrides[i + 1]);
            }
            return new Group(folder, Map.copyOf(env), token, elsewhereToken);
        }

        public String eventsTopic() {
            return env.get("QUEUEVIEW_EVENTS_TOPIC");
        }

        /**
         * Whether a topic is one of this group's: the five it names and the internal ones Kafka Streams makes, which
         * start with the application id.
         */
        public boolean owns(String topic) {
            return topic.startsWith(env.get("QUEUEVIEW_APPLICATION_ID") + "-") || List.of("QUEUEVIEW_EVENTS_TOPIC",
                    "QUEUEVIEW_DLQ_TOPIC", "QUEUEVIEW_CHANGES_TOPIC", "QUEUEVIEW_COMMANDS_TOPIC",
                    "QUEUEVIEW_AUDIT_TOPIC").stream().anyMatch(variable -> topic.equals(env.get(variable)));
        }

        /** A new instance of this group with a data folder and a free HTTP port of its own; not started yet. */
        public ServiceInstance instance(String name) throws IOException {
            Path dataDir = Files.createDirectories(folder.resolve(name));
            int port = FreePort.find();
            Map<String, String> own = new HashMap<>(env);
            own.put("QUEUEVIEW_DATA_DIR", dataDir.toString());
            own.put("QUEUEVIEW_HTTP_PORT", Integer.toString(port));
            Path log = Files.createDirectories(Path.of("target", "service-logs"))
                    .resolve(env.get("QUEUEVIEW_APPLICATION_ID") + "-" + name + ".log");
            return new ServiceInstance(name, dataDir, port, Map.copyOf(own), log.toAbsolutePath(), token);
        }
    }

    /** Starts the process; returns at once (see {@link #awaitReady}). */
    public synchronized ServiceInstance start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m"));
        // for experiments, e.g. a profile: -Dqueueview.instance.jvm-options="-XX:StartFlightRecording=filename=x.jfr"
        String extra = System.getProperty("queueview.instance.jvm-options", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.replace("{name}", name).split(" +")));
        }
        command.addAll(List.of("-cp", classpath(), Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("QUEUEVIEW_"));
        builder.environment().putAll(env);
        process = builder.start();
        ALIVE.add(this);
        return this;
    }

    /** Polls GET /health/ready until 200; the time it took. Fails when the process exits or the time is up. */
    public Duration awaitReady(Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was not ready within " + timeout.toSeconds() + " s; /health/ready says: "
                        + waitingFor() + "; see " + log);
            }
            sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** What /health/ready answers, or that nothing answers. */
    private String waitingFor() {
        try {
            return get("/health/ready").body();
        } catch (UncheckedIOException notListening) {
            return "(no answer)";
        }
    }

    public boolean ready() {
        try {
            return get("/health/ready").statusCode() == 200;
        } catch (UncheckedIOException notListening) {
            return false;
        }
    }

    /** GET on this instance with the group's token; UncheckedIOException when nothing answers (not started, or killed). */
    public HttpResponse<String> get(String pathAndQuery) {
        return call("GET", pathAndQuery, token, null);
    }

    /** PUT of a JSON body with the group's token. */
    public HttpResponse<String> put(String pathAndQuery, String json) {
        return call("PUT", pathAndQuery, token, json);
    }

    /** Any call with any token (null: none); UncheckedIOException when nothing answers. */
    public HttpResponse<String> call(String method, String pathAndQuery, String callerToken, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(15))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (callerToken != null) {
            request.header("X-Auth-Token", callerToken);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL, as a crash or an OOM killer would: no clean close, no leaving the group. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
            ALIVE.remove(this);
        }
    }

    /** SIGTERM: queueview closes cleanly (Main's shutdown hook); SIGKILL if it takes longer than a minute. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(60))) {
                kill();
            }
        }
        ALIVE.remove(this);
    }

    /** Starts again on the same data folder and port (after a kill or a stop). */
    public ServiceInstance restart() throws IOException {
        stop();
        return start();
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path log() {
        return log;
    }

    /** Waits up to the timeout for the process to end by itself; its exit code, or empty if it still runs. */
    public Optional<Integer> exitCode(Duration timeout) {
        return awaitExit(timeout) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The process's heap in use after a full collection (jcmd GC.run, then GC.heap_info), in bytes; -1 if unknown. */
    public long heapAfterGc() {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start()
                    .waitFor();
            Process info = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String text = new String(info.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            info.waitFor();
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(text);
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** How many threads the process has now, from /proc; -1 if unknown. */
    public int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** CPU time the process has used so far (user and system), from /proc; 0 where there is none. */
    public Duration cpuTime() {
        try {
            String[] stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")).split("\\) ")[1]
                    .split(" ");
            long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime, stime (fields 14 and 15)
            return Duration.ofMillis(ticks * 10); // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * target/classes and every dependency, from this JVM's own class path (under failsafe: the test class path,
     * which Maven resolved). The packaged jar and the test classes are left out: the process runs what users run.
     */
    public static String classpath() {
        return classpath(Path.of("target", "classes"));
    }

    /** The same with target/test-classes too, for a process that runs a fixture's own main (a broker of BrokerCluster). */
    public static String testClasspath() {
        return classpath(Path.of("target", "classes"), Path.of("target", "test-classes"));
    }

    private static String classpath(Path... own) {
        Stream<String> dependencies = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !Path.of(entry).toAbsolutePath().startsWith(Path.of("target").toAbsolutePath()));
        return Stream.concat(Arrays.stream(own).map(path -> path.toAbsolutePath().toString()), dependencies).distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
