package io.queueview.testing;

import io.queueview.app.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Three Kafka nodes, each its own JVM ({@link BrokerProcess}) on 127.0.0.1, each a combined broker and controller
 * of one static 3-voter quorum — a cluster like a production one, where any one node may die and the other two still
 * elect a controller and hold a majority of every partition's replicas: replication factor 3, min.insync.replicas 2,
 * no unclean leader election, for queueview's topics (the defaults) and Kafka's internal ones alike. A node can be
 * killed (SIGKILL), stopped (SIGTERM), frozen (SIGSTOP) and thawed, and restarted on its data and ports. Broker logs go
 * to target/broker-logs/&lt;cluster&gt;-node-&lt;id&gt;.log. {@link #close} kills every node, and so does the end of
 * the test JVM.
 */
public final class BrokerCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODES = 3;
    private static final Duration NODE_START = Duration.ofSeconds(90);
    private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(Process::destroyForcibly),
                "broker-cluster-kill"));
    }

    /**
     * What every node runs with beside the embedded broker's own settings (EmbeddedKafka, which are for one node).
     * The session: a node that stops heartbeating (killed, frozen) is fenced after it, its partitions get new leaders
     * and it leaves their ISRs, so until then writes with acks=all to its partitions wait; and a restarted node can
     * only register once its old incarnation's session ran out. The embedded broker's 1.5 s suits a node whose
     * controller is in its own JVM; here heartbeats cross processes on a 2-core machine shared with queueview and the
     * test, so 3 s (six beats) keeps a live node from being fenced for a late beat, while a dead one costs 3 s.
     */
    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("default.replication.factor", "3"),
            Map.entry("min.insync.replicas", "2"),
            Map.entry("unclean.leader.election.enable", "false"),
            Map.entry("offsets.topic.replication.factor", "3"),
            Map.entry("transaction.state.log.replication.factor", "3"),
            Map.entry("transaction.state.log.min.isr", "2"),
            Map.entry("share.coordinator.state.topic.replication.factor", "3"),
            Map.entry("share.coordinator.state.topic.min.isr", "2"),
            // 50 each by default: 300 replicas of coordinators nobody here needs, on 2 cores
            Map.entry("offsets.topic.num.partitions", "10"),
            Map.entry("transaction.state.log.num.partitions", "10"),
            Map.entry("broker.heartbeat.interval.ms", "500"),
            Map.entry("broker.session.timeout.ms", "3000"),
            // Kafka's default again: the embedded broker checks every 500 ms so that a killed queueview's open
            // transaction ends quickly; a cluster of an operator's checks every 10 s, and a transaction that a broker
            // failure holds up past its timeout is aborted as late as there
            Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "10000"));

    /** One node: its id, ports (kept across restarts), data and log; the process while it runs. */
    private static final class Node {
        final int id;
        final int brokerPort;
        final EmbeddedKafka.Member member;
        final Path logDir;
        final Path log;
        Process process;
        long readyLinesBefore;

        Node(int id, int brokerPort, EmbeddedKafka.Member member, Path logDir, Path log) {
            this.id = id;
            this.brokerPort = brokerPort;
            this.member = member;
            this.logDir = logDir;
            this.log = log;
        }
    }

    private final Map<Integer, Node> nodes;
    private final String bootstrapServers;
    private final Admin admin;

    private BrokerCluster(Map<Integer, Node> nodes) {
        this.nodes = nodes;
        this.bootstrapServers = nodes.values().stream().map(node -> HOST + ":" + node.brokerPort)
                .collect(Collectors.joining(","));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
    }

    /** Formats and starts three nodes with data under folder; returns once each accepts clients. */
    public static BrokerCluster start(Path folder) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Map<Integer, Integer> controllerPorts = new TreeMap<>();
        Map<Integer, Integer> brokerPorts = new TreeMap<>();
        for (int id = 1; id <= NODES; id++) {
            controllerPorts.put(id, FreePort.find());
            brokerPorts.put(id, FreePort.find());
        }
        String voters = controllerPorts.entrySet().stream()
                .map(voter -> voter.getKey() + "@" + HOST + ":" + voter.getValue()).collect(Collectors.joining(","));
        Path logs = Files.createDirectories(Path.of("target", "broker-logs")).toAbsolutePath();
        String name = folder.getFileName().toString();
        Map<Integer, Node> nodes = new TreeMap<>();
        for (int id = 1; id <= NODES; id++) {
            nodes.put(id, new Node(id, brokerPorts.get(id),
                    new EmbeddedKafka.Member(id, clusterId, controllerPorts.get(id), voters),
                    Files.createDirectories(folder.resolve("node-" + id)), logs.resolve(name + "-node-" + id + ".log")));
        }
        BrokerCluster cluster = new BrokerCluster(nodes);
        try {
            for (Node node : nodes.values()) { // side by side: no node's start returns before a quorum is up
                cluster.launch(node);
            }
            for (int id : nodes.keySet()) {
                cluster.awaitServing(id);
            }
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Set<Integer> nodeIds() {
        return nodes.keySet();
    }

    /** SIGKILL, as a crash or the OOM killer would: no controlled shutdown, no leadership handed over. */
    public void kill9(int id) {
        Node node = nodes.get(id);
        if (node.process != null) {
            node.process.destroyForcibly();
            awaitExit(node);
        }
    }

    /** SIGTERM: a controlled shutdown that moves leadership away first, as an operator's stop does. */
    public void stop(int id) {
        Node node = nodes.get(id);
        if (node.process != null && node.process.isAlive()) {
            node.process.destroy();
            try {
                if (!node.process.waitFor(60, TimeUnit.SECONDS)) {
                    kill9(id);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill9(id);
            }
            ALIVE.remove(node.process);
        }
    }

    /** Starts a stopped or killed node again on its data and ports; returns once it is unfenced and serves. */
    public void restart(int id) {
        Node node = nodes.get(id);
        if (node.process != null && node.process.isAlive()) {
            throw new IllegalStateException("node " + id + " still runs");
        }
        try {
            launch(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitServing(id);
    }

    /** SIGSTOP: the process stalls whole (a long GC pause, a hung disk, a paused VM) with its sockets open. */
    public void freeze(int id) {
        signal(id, "STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw(int id) {
        signal(id, "CONT");
    }

    /** How many partitions of the chosen topics each node leads (nodes leading none included, with 0). */
    public Map<Integer, Integer> leaderCounts(Predicate<String> topics) {
        Map<Integer, Integer> counts = new TreeMap<>();
        nodes.keySet().forEach(id -> counts.put(id, 0));
        for (TopicDescription topic : describe(topics)) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                if (partition.leader() != null && partition.leader().id() >= 0) {
                    counts.merge(partition.leader().id(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** How a topic is replicated: its partitions' replica count (the least, should they differ) and its min ISR. */
    public record Replication(int factor, int minInSync) {
    }

    /** Each chosen topic's replication, min.insync.replicas as the broker applies it (its own or the default). */
    public Map<String, Replication> replication(Predicate<String> topics) {
        Collection<TopicDescription> described = describe(topics);
        List<ConfigResource> resources = described.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList();
        try {
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            Map<String, Replication> replication = new TreeMap<>();
            for (TopicDescription topic : described) {
                int factor = topic.partitions().stream().mapToInt(partition -> partition.replicas().size()).min()
                        .orElse(0);
                String minInSync = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                        .get("min.insync.replicas").value();
                replication.put(topic.name(), new Replication(factor, Integer.parseInt(minInSync)));
            }
            return replication;
        } catch (ExecutionException e) {
            throw new IllegalStateException("no answer about the topics' configs", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The node that leads the most partitions of the chosen topics. */
    public int mostLeading(Predicate<String> topics) {
        return leaderCounts(topics).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** The node whose controller is the quorum's leader (the active controller). */
    public int activeController() {
        try {
            return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        } catch (ExecutionException e) {
            throw new IllegalStateException("no answer about the quorum", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits until every partition of every topic (Kafka's internal ones too) has a leader and all three replicas in
     * sync: a node back from a fault has caught up, so the next fault leaves min.insync.replicas met.
     */
    public void awaitFullyReplicated(Duration timeout) {
        Await.until(timeout, "every partition has its " + NODES + " replicas in sync", () -> {
            try {
                return describe(topic -> true).stream().flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && partition.leader().id() >= 0
                                && partition.isr().size() == NODES);
            } catch (IllegalStateException noAnswerYet) {
                return false;
            }
        });
    }

    /** Kills every node (SIGKILL wakes a frozen one too); the data stays for the test's folder to remove. */
    @Override
    public void close() {
        nodes.keySet().forEach(this::kill9);
        admin.close(Duration.ofSeconds(2));
    }

    private void launch(Node node) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a broker of this test holds little; small heaps leave the 2 cores' memory and GC time to the rest
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", ServiceInstance.testClasspath(), BrokerProcess.class.getName()));
        command.addAll(BrokerProcess.arguments(node.member, node.logDir, node.brokerPort, SETTINGS));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("QUEUEVIEW_"));
        node.readyLinesBefore = readyLines(node);
        node.process = builder.start();
        ALIVE.add(node.process);
    }

    /**
     * Until this start's process says it accepts clients (BrokerProcess says so once the broker is unfenced: the
     * cluster's list of live brokers would still show a killed incarnation for a session); fails early when the
     * process ended.
     */
    private void awaitServing(int id) {
        Node node = nodes.get(id);
        long deadline = System.nanoTime() + NODE_START.toNanos();
        while (readyLines(node) <= node.readyLinesBefore) {
            if (!node.process.isAlive()) {
                throw new IllegalStateException("node " + id + " exited with " + node.process.exitValue() + "; see "
                        + node.log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + id + " did not serve within " + NODE_START.toSeconds()
                        + " s; see " + node.log);
            }
            sleep(100);
        }
    }

    private static long readyLines(Node node) {
        try (var lines = Files.lines(node.log, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith(BrokerProcess.ready(node.id))).count();
        } catch (IOException | UncheckedIOException notYet) {
            return 0;
        }
    }

    private Collection<TopicDescription> describe(Predicate<String> topics) {
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                    .filter(topics).collect(Collectors.toSet());
            return admin.describeTopics(names).allTopicNames().get().values();
        } catch (ExecutionException e) {
            throw new IllegalStateException("no answer about the topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void signal(int id, String signal) {
        Node node = nodes.get(id);
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " of node " + id + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void awaitExit(Node node) {
        try {
            node.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ALIVE.remove(node.process);
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
