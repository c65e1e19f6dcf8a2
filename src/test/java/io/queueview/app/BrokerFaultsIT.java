package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.testing.BrokerCluster;
import io.queueview.testing.EventFlow;
import io.queueview.testing.ServiceInstance;
import io.queueview.testing.SteadyLoad;
import io.queueview.testing.Supervisor;
import io.queueview.testing.ViewVerdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka itself failing under queueview: a three-node cluster ({@link BrokerCluster}: replication factor 3,
 * min.insync.replicas 2), two queueview instances with a standby, events flowing at 600/s with acks=all, and clients
 * listing every queue through both instances, while one broker at a time is killed, frozen, restarted cleanly, and
 * the active controller is killed. After each fault the cluster has all replicas in sync again, the flow pauses once
 * Kafka acknowledged every event, and every instance must list every queue exactly as a model of those events has it:
 * nothing lost, nothing twice, nothing wrong; no instance may stop; and the list calls answered during the fault are
 * printed with the longest gap. The scenarios run in order, on one cluster and one group of instances.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS_PER_SECOND = 600;
    private static final int QUEUES = 8;
    private static final int PARTITIONS = 4;
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration BACK_IN_SYNC = Duration.ofSeconds(90);
    /** How long the view may take to apply the last events once the flow pauses: it may be behind after a fault. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** Between two list calls of one client thread: ~80 calls/s in all, leaving the 2 cores to the cluster. */
    private static final Duration CALL_PAUSE = Duration.ofMillis(25);
    /**
     * A floor, not the target: how many reads are answered during a fault depends on how busy the machine is (a
     * controller's kill measured 100 % on a quiet run, 81 % with other builds running), so the share and the longest
     * gap are printed as figures, like a benchmark's (docs/operations.md, When Kafka fails; the target is 99 %).
     * The floor catches an outage: before stream threads were replaced, a broker's kill stopped both instances
     * (9.8 % answered).
     */
    private static final double ANSWERED_SHARE_FLOOR = 0.5;

    @TempDir
    static Path folder;
    private static BrokerCluster cluster;
    private static ServiceInstance.Group group;
    private static final List<ServiceInstance> instances = new ArrayList<>();
    private static EventFlow flow;
    private static Supervisor supervisor;
    /** The scenarios' lines, also kept in a file: failsafe may hold a test's standard output back. */
    private static final Path REPORT = Path.of("target", "broker-faults.txt");

    @BeforeAll
    static void startClusterAndInstances() throws Exception {
        // the flow's producer and the fixture's admin warn at each reconnect to a node a scenario took down
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        Files.deleteIfExists(REPORT);
        cluster = BrokerCluster.start(folder.resolve("cluster"));
        group = ServiceInstance.Group.on(cluster.bootstrapServers(), folder.resolve("queueview"), PARTITIONS,
                "QUEUEVIEW_STANDBY_REPLICAS", "1", "QUEUEVIEW_REPLICATION_FACTOR", "3");
        ServiceInstance first = group.instance("a").start();
        instances.add(first);
        first.awaitReady(START); // it creates the topics
        instances.add(group.instance("b").start());
        instances.get(1).awaitReady(START);
        flow = new EventFlow(cluster.bootstrapServers(), group.eventsTopic(), QUEUES, EVENTS_PER_SECOND);
        supervisor = new Supervisor(instances);
        cluster.awaitFullyReplicated(BACK_IN_SYNC);
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        try {
            if (supervisor != null) {
                supervisor.close();
            }
            if (flow != null) {
                flow.close();
            }
            instances.forEach(ServiceInstance::kill);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(0)
    void everyTopicOfQueueviewAndKafkaIsReplicatedThreeTimesWithTwoInSync() {
        // queueview creates its topics with QUEUEVIEW_REPLICATION_FACTOR and Kafka Streams its internal ones with
        // the same, but neither sets min.insync.replicas: the cluster's default is what holds them to 2
        Map<String, BrokerCluster.Replication> replication = cluster.replication(
                topic -> group.owns(topic) || topic.startsWith("__"));
        assertTrue(replication.keySet().stream().filter(group::owns).count() >= 5, replication.toString());
        replication.forEach((topic, replicated) ->
                assertEquals(new BrokerCluster.Replication(3, 2), replicated, topic));
    }

    @Test
    @Order(1)
    void killingTheBrokerThatLeadsMostOfQueueviewsPartitionsLosesNothing() throws Exception {
        int victim = cluster.mostLeading(group::owns);
        String fault = "kill -9 of node " + victim + " (leading " + cluster.leaderCounts(group::owns) + "), restart";
        underFault(fault, () -> {
            cluster.kill9(victim);
            Thread.sleep(10_000);
            cluster.restart(victim);
        });
    }

    @Test
    @Order(2)
    void aBrokerFrozenFor20SecondsLosesNothing() throws Exception {
        int frozen = cluster.mostLeading(group::owns);
        underFault("SIGSTOP of node " + frozen + " for 20 s", () -> {
            cluster.freeze(frozen);
            try {
                Thread.sleep(20_000);
            } finally {
                cluster.thaw(frozen);
            }
        });
    }

    @Test
    @Order(3)
    void aRollingRestartOfAllThreeLosesNothing() throws Exception {
        underFault("rolling restart (SIGTERM, start) of nodes " + cluster.nodeIds(), () -> {
            for (int node : cluster.nodeIds()) {
                cluster.stop(node);
                cluster.restart(node);
                cluster.awaitFullyReplicated(BACK_IN_SYNC); // the next stop must leave two replicas in sync
            }
        });
    }

    @Test
    @Order(4)
    void killingTheActiveControllerLosesNothing() throws Exception {
        int controller = cluster.activeController();
        underFault("kill -9 of the active controller, node " + controller + ", restart", () -> {
            cluster.kill9(controller);
            Thread.sleep(5_000);
            cluster.restart(controller);
        });
    }

    /** What a scenario does to the cluster; returns once the fault is over (the node back, if it comes back). */
    private interface Fault {
        void run() throws Exception;
    }

    /**
     * Events flow and clients list while the fault runs and until every replica is in sync again; then the view must
     * equal the model of what Kafka acknowledged, no instance may have stopped, and the calls must have been answered
     * (the share is printed; only an outage fails the test).
     */
    private static void underFault(String fault, Fault action) throws Exception {
        for (ServiceInstance instance : instances) { // one the supervisor started again may still restore
            instance.awaitReady(START);
        }
        long sentBefore = flow.sent();
        int restartsBefore = supervisor.restarts().size();
        flow.resume();
        long started = System.nanoTime();
        SteadyLoad load = new SteadyLoad(instances, CALL_PAUSE, BrokerFaultsIT::listsAConsistentPage);
        try {
            Thread.sleep(2_000); // the load steady before the fault
            action.run();
            cluster.awaitFullyReplicated(BACK_IN_SYNC);
            Thread.sleep(3_000); // and for a while after it
        } finally {
            load.stop();
            flow.pause();
        }
        ViewVerdict verdict = ViewVerdict.of(flow, instances, CATCH_UP);
        long calls = load.calls();
        double answeredShare = (double) load.answered() / Math.max(1, calls);
        List<Supervisor.Restart> restarts = supervisor.restarts().subList(restartsBefore, supervisor.restarts().size());
        String line = String.format("BrokerFaultsIT: %s, %.0f s, %,d events: calls answered 200 %,d / 503 %,d / other %,d "
                        + "(%.2f %% answered), longest gap in 200s %.1f s; instances restarted after exiting: %s; "
                        + "verifier: %s%n", fault, (System.nanoTime() - started) / 1e9, flow.sent() - sentBefore,
                load.answered(), load.refused(), calls - load.answered() - load.refused(), 100 * answeredShare,
                load.longestGap().toMillis() / 1e3, restarts.isEmpty() ? "none" : restarts, verdict);
        System.out.print(line);
        Files.writeString(REPORT, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertEquals(0, load.wrong(), fault + ": wrong answers; the first: " + load.firstWrong());
        assertTrue(verdict.right(), fault + ": " + verdict);
        assertEquals(List.of(), restarts, fault + ": an instance stopped (a broker's failure must not stop the view)");
        assertTrue(answeredShare >= ANSWERED_SHARE_FLOOR, fault + ": " + load.answered() + " of " + calls
                + " list calls answered 200, below " + 100 * ANSWERED_SHARE_FLOOR + " %");
    }

    /**
     * A list call on a random queue: unavailable on 502/503 or no answer; right when 200 with a page in serving order
     * (priority descending, rank stamp, id) naming each entry once. The view moves on under the flow, so what the page
     * holds is judged by the verifier once the flow pauses.
     */
    private static boolean listsAConsistentPage(ServiceInstance target, java.util.Random random, StringBuilder what) {
        String project = flow.projects().get(random.nextInt(flow.projects().size()));
        HttpResponse<String> answer = SteadyLoad.available(
                target.get("/v1.0/" + project + "/data/queuing-jobs?queue_type=RESIM&limit=200"));
        what.append(project).append(": ").append(answer.statusCode()).append(' ').append(answer.body());
        if (answer.statusCode() != 200) {
            return false;
        }
        List<EventFlow.Entry> page = EventFlow.Entry.listedIn(read(answer.body()));
        Set<Long> ids = new HashSet<>();
        return page.stream().allMatch(entry -> ids.add(entry.id())) && page.equals(page.stream()
                .sorted(Comparator.comparingInt(EventFlow.Entry::priority).reversed()
                        .thenComparingLong(EventFlow.Entry::rankStamp).thenComparingLong(EventFlow.Entry::id))
                .toList());
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
