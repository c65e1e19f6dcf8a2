package io.queueview.bench;

import io.queueview.http.peer.BenchPeerClients;
import io.queueview.testing.QueueAnswers;
import io.queueview.testing.ServiceInstance;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * The forwarder's client, ours against Apache HttpClient 5, same run, same owner: one queueview instance as its
 * own process owns every queue; this JVM's 16 threads (as 16 server threads forwarding at once) send a queue's
 * first page through one client, then the other, three times over (the JVM warms up over the first round). Per client:
 * calls/s, p50/p99 latency, and the CPU the calling threads spent per call (their own thread CPU time: what the
 * client costs a forwarder, apart from the owner and the machine's other work). Each figure is of the better round.
 */
final class PeerClientCost {

    private static final int THREADS = 16;
    private static final Duration WARMUP = Duration.ofSeconds(2);

    private PeerClientCost() {
    }

    record Round(double callsPerSecond, Latency latency, double cpuMicrosPerCall, double ownerCpuMicrosPerCall,
                 long errors) {
    }

    static Map<String, Object> measure(Path folder, Duration duration, PrintStream log) throws Exception {
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 2);
        QueueAnswers answers = QueueAnswers.of(4, 100);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Map<String, BiFunction<Duration, ScheduledExecutorService, BenchPeerClients.Client>> clients =
                new LinkedHashMap<>();
        clients.put("ours", BenchPeerClients::handWritten);
        clients.put("httpclient5", BenchPeerClients::httpClient5);
        Map<String, Round> best = new LinkedHashMap<>();
        try (ServiceInstance owner = group.instance("owner").start()) {
            owner.awaitReady(Duration.ofSeconds(120));
            answers.produce(group.eventsTopic());
            ScaleOut.seconds(System.nanoTime(), () -> answers.answeredEverywhere(List.of(owner)));
            String target = QueueAnswers.list(answers.projects().get(0)).replace("limit=200", "limit=10");
            for (int round = 1; round <= 3; round++) {
                for (var client : clients.entrySet()) {
                    try (BenchPeerClients.Client peers = client.getValue().apply(Duration.ofSeconds(10), scheduler)) {
                        Round measured = round(peers, owner, target, group.token(), duration);
                        log.printf("peer client %s, round %d: %,.0f calls/s, p50 %.0f us, p99 %.0f us, client CPU %.0f us"
                                        + " per call, owner CPU %.0f us per call, %d errors%n", client.getKey(), round,
                                measured.callsPerSecond(), measured.latency().p50Micros(), measured.latency().p99Micros(),
                                measured.cpuMicrosPerCall(), measured.ownerCpuMicrosPerCall(), measured.errors());
                        best.merge(client.getKey(), measured, (a, b) -> a.callsPerSecond() >= b.callsPerSecond() ? a : b);
                    }
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        best.forEach((name, round) -> figures.put(name, Map.of(
                "calls_per_s", Math.round(round.callsPerSecond()),
                "p50_us", Math.round(round.latency().p50Micros()),
                "p99_us", Math.round(round.latency().p99Micros()),
                "client_cpu_us_per_call", Math.round(round.cpuMicrosPerCall()),
                "owner_cpu_us_per_call", Math.round(round.ownerCpuMicrosPerCall()),
                "errors", round.errors())));
        figures.put("httpclient5_over_ours_calls", Math.round(100 * best.get("httpclient5").callsPerSecond()
                / best.get("ours").callsPerSecond()) / 100.0);
        figures.put("httpclient5_over_ours_cpu", Math.round(100 * best.get("httpclient5").cpuMicrosPerCall()
                / best.get("ours").cpuMicrosPerCall()) / 100.0);
        return figures;
    }

    /** A warm-up, then THREADS threads calling for the duration: the calls' latencies and their threads' CPU. */
    private static Round round(BenchPeerClients.Client peers, ServiceInstance owner, String target, String token,
                               Duration duration) throws Exception {
        calls(peers, owner.port(), target, token, WARMUP);
        Duration ownerBefore = owner.cpuTime();
        long started = System.nanoTime();
        List<long[]> perThread = calls(peers, owner.port(), target, token, duration);
        double seconds = (System.nanoTime() - started) / 1e9;
        Duration ownerCpu = owner.cpuTime().minus(ownerBefore);
        // per thread: latencies..., then its CPU nanos, then its errors
        long cpu = perThread.stream().mapToLong(t -> t[t.length - 2]).sum();
        long errors = perThread.stream().mapToLong(t -> t[t.length - 1]).sum();
        long[] all = perThread.stream().flatMapToLong(t -> Arrays.stream(t, 0, t.length - 2)).toArray();
        return new Round(all.length / seconds, Latency.of(all), cpu / 1e3 / all.length,
                ownerCpu.toNanos() / 1e3 / all.length, errors);
    }

    private static List<long[]> calls(BenchPeerClients.Client peers, int port, String target, String token,
                                      Duration duration) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long end = System.nanoTime() + duration.toNanos();
            List<Future<long[]>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(pool.submit(() -> {
                    long[] nanos = new long[4096];
                    int count = 0;
                    long errors = 0;
                    long cpuBefore = threads.getCurrentThreadCpuTime();
                    while (System.nanoTime() < end) {
                        long started = System.nanoTime();
                        try {
                            if (peers.get("127.0.0.1", port, target, token) != 200) {
                                errors++;
                            }
                        } catch (java.io.IOException e) {
                            errors++;
                        }
                        if (count == nanos.length) {
                            nanos = Arrays.copyOf(nanos, count * 2);
                        }
                        nanos[count++] = System.nanoTime() - started;
                    }
                    long[] result = Arrays.copyOf(nanos, count + 2);
                    result[count] = threads.getCurrentThreadCpuTime() - cpuBefore;
                    result[count + 1] = errors;
                    return result;
                }));
            }
            List<long[]> results = new ArrayList<>();
            for (Future<long[]> future : running) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
