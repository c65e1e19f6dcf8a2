package io.queueview.app;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Apache Kafka's own KRaft broker (one node, combined broker + controller) running in this process on 127.0.0.1,
 * alone or as one {@link Member} of a static quorum of such nodes (a test cluster). {@link #start} throws {@link BindException} if the port is taken, and {@link IOException} if the log dir cannot be
 * formatted or the broker does not start and accept clients within 60 s.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final long READY_TIMEOUT_SECONDS = 60;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** A listener beside the PLAINTEXT one, on 127.0.0.1: its name, security protocol (SSL, SASL_SSL ...) and port. */
    public record Listener(String name, String protocol, int port) {
    }

    /**
     * This node's place in a static quorum (kraft.version 0): its id, the id every member is formatted with, its
     * controller port and every voter as {@code id@host:port} ({@code controller.quorum.voters}).
     */
    public record Member(int nodeId, String clusterId, int controllerPort, String voters) {

        /** The only voter of a quorum of its own: node 1 under a new cluster id (kept from the first format on). */
        static Member alone(int controllerPort) {
            return new Member(1, Uuid.randomUuid().toString(), controllerPort, "1@" + HOST + ":" + controllerPort);
        }
    }

    /** Formats logDir on first use (keeps it on later starts), starts the broker on 127.0.0.1:port (0 = a free port) and returns once it accepts clients. */
    public static EmbeddedKafka start(Path logDir, int port) throws IOException {
        return start(logDir, port, List.of(), Map.of());
    }

    /**
     * The same broker with more listeners and settings (a secured listener, an authorizer ...) beside its PLAINTEXT
     * listener, which stays the inter-broker one: tests meet a secured cluster through this.
     */
    public static EmbeddedKafka start(Path logDir, int port, List<Listener> more, Map<String, String> settings)
            throws IOException {
        int brokerPort = port == 0 ? freePort() : requireFree(port);
        // With static voters (kraft.version 0) the controller endpoint is read from the config on every start and
        // never stored in the log, so a fresh free port each time is safe and avoids clashes on restart.
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        return start(logDir, brokerPort, Member.alone(controllerPort), more, settings);
    }

    /**
     * One member of a quorum on its broker port (must be free): startup returns once enough voters run to elect a
     * controller and this broker is unfenced, so the members of a cluster are started side by side.
     */
    public static EmbeddedKafka start(Path logDir, int brokerPort, Member member, List<Listener> more,
                                      Map<String, String> settings) throws IOException {
        requireFree(brokerPort);
        Files.createDirectories(logDir);
        formatOnFirstUse(logDir, member);

        String bootstrapServers = HOST + ":" + brokerPort;
        Map<String, Object> config = new HashMap<>(config(logDir, brokerPort, member));
        for (Listener listener : more) {
            String endpoint = listener.name() + "://" + HOST + ":" + listener.port();
            config.merge("listeners", endpoint, (known, added) -> known + "," + added);
            config.merge("advertised.listeners", endpoint, (known, added) -> known + "," + added);
            config.merge("listener.security.protocol.map", listener.name() + ":" + listener.protocol(),
                    (known, added) -> known + "," + added);
        }
        config.putAll(settings);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        try {
            server.startup();
            awaitClients(bootstrapServers);
        } catch (IOException e) {
            stop(server);
            throw e;
        } catch (RuntimeException e) { // e.g. KafkaException from a bind race or server.max.startup.time.ms
            stop(server);
            throw new IOException("Kafka broker on " + bootstrapServers + " (log dir " + logDir + ") failed to start: " + e.getMessage(), e);
        }
        return new EmbeddedKafka(server, bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop(server);
        }
    }

    private static Map<String, Object> config(Path logDir, int brokerPort, Member member) {
        int controllerPort = member.controllerPort();
        return Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", member.nodeId()),
                Map.entry("controller.quorum.voters", member.voters()),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                // One broker: every internal topic (consumer offsets, transactions, share groups) must fit on it.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("num.partitions", "1"),
                Map.entry("auto.create.topics.enable", "false"),
                // Nobody else will join, so waiting for more group members only slows the first rebalance.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("group.streams.initial.rebalance.delay.ms", "0"),
                // Let groups give up a dead instance within seconds (QUEUEVIEW_SESSION_TIMEOUT, 6 s by default, may be
                // set lower here): Kafka's lower bounds are 6 s (classic) and 45 s with 5 s heartbeats (streams).
                Map.entry("group.min.session.timeout.ms", "1000"),
                Map.entry("group.streams.min.session.timeout.ms", "1000"),
                Map.entry("group.streams.min.heartbeat.interval.ms", "200"),
                // After kill -9 the controller, restarting with the broker, gives the dead incarnation's registration a
                // whole session before it lets the new one register (DuplicateBrokerRegistrationException until then):
                // Kafka's 9 s default was most of a restart. Broker and controller share this process, so a heartbeat
                // is never late but for a pause of the whole JVM, which a short fencing merely waits out.
                Map.entry("broker.heartbeat.interval.ms", "250"),
                Map.entry("broker.session.timeout.ms", "1500"),
                // A killed instance's open transaction is aborted when this check first finds it timed out (default
                // every 10 s): the successor of its partitions waits for that.
                Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500"),
                // Kafka's default is to wait forever for the quorum; fail instead, like awaitClients does.
                Map.entry("server.max.startup.time.ms", String.valueOf(TimeUnit.SECONDS.toMillis(READY_TIMEOUT_SECONDS))));
    }

    private static void formatOnFirstUse(Path logDir, Member member) throws IOException {
        // The Formatter writes meta.properties last, so its presence means a complete earlier format whose cluster id
        // must be kept: formatting again with a new id would be refused (and would orphan the data).
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String dir = logDir.toString();
        try {
            new Formatter()
                    .setNodeId(member.nodeId())
                    .setClusterId(member.clusterId())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream())) // it chats on stdout otherwise
                    .run();
        } catch (Exception e) {
            throw new IOException("Cannot format Kafka log dir " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** startup() returns once the broker is unfenced; this proves a client really gets through to it. */
    private static void awaitClients(String bootstrapServers) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    throw new IOException("Kafka broker on " + bootstrapServers + " did not accept clients within " + READY_TIMEOUT_SECONDS + " s");
                }
                try {
                    var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) leftMs)).nodes().get();
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // Not there yet (or the call timed out): try again until the deadline.
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the Kafka broker on " + bootstrapServers, e);
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Fails with the port in the message rather than deep inside Kafka's socket server. */
    private static int requireFree(int port) throws BindException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            BindException busy = new BindException("Cannot start Kafka on " + HOST + ":" + port + ": port " + port + " is already in use");
            busy.initCause(e);
            throw busy;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        }
    }
}
