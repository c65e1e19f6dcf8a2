package io.queueview.bench;

import io.queueview.testing.QueueAnswers;
import io.queueview.testing.ServiceInstance;
import io.queueview.testing.SteadyLoad;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The benchmark's scale-out section, with queueview as separate JVM processes ({@link ServiceInstance}) on one
 * broker: how long until an instance killed with kill -9 and restarted answers every queue again; with three
 * instances, how long until the queues of one killed for good are answered by the others; the share of 503s while
 * a fourth joins under load; and list throughput through an instance that forwards to the owner against the
 * owner itself, in the same run.
 */
final class ScaleOut {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final int CLIENTS = 16;
    private static final Duration WARMUP = Duration.ofSeconds(8);

    private ScaleOut() {
    }

    /** A step of the section; one that fails is reported as not measured, and the section goes on. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * @param failures false: only the throughput through the owner and a forwarder (for experiments)
     * @return the figures; under "not_measured", each step that could not measure and why (its instances' logs
     *         and the folder are then kept: "kept")
     */
    static Map<String, Object> measure(Path folder, int queues, int entries, int crashes, Duration httpDuration,
                                       boolean failures, PrintStream log) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, String> notMeasured = new LinkedHashMap<>();
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 6, "QUEUEVIEW_STANDBY_REPLICAS", "1");
        QueueAnswers answers = QueueAnswers.of(queues, entries);
        List<ServiceInstance> all = new ArrayList<>();
        try {
            step("the first instance answers every queue", notMeasured, log, () -> {
                ServiceInstance a = group.instance("a").start();
                all.add(a);
                a.awaitReady(LIMIT);
                answers.produce(group.eventsTopic());
                figures.put("first_instance_answers_s", seconds(System.nanoTime(),
                        () -> answers.answeredEverywhere(List.of(a))));
            });
            if (crashes > 0) {
                step("kill -9 and restart", notMeasured, log, () -> {
                    ServiceInstance a = all.get(0);
                    List<Double> restarts = new ArrayList<>();
                    figures.put("restart_after_kill_s", restarts);
                    for (int crash = 1; crash <= crashes; crash++) {
                        a.kill();
                        long killed = System.nanoTime();
                        a.start();
                        restarts.add(seconds(killed, () -> answers.answeredEverywhere(List.of(a))));
                        log.printf("scale-out: kill -9 %d, restart -> every queue answering: %.1f s%n", crash,
                                restarts.get(restarts.size() - 1));
                    }
                });
            }
            step("three instances answer every queue", notMeasured, log, () -> {
                for (String name : List.of("b", "c")) {
                    all.add(group.instance(name).start());
                }
                for (ServiceInstance instance : all) {
                    if (!instance.alive()) {
                        instance.start();
                    }
                    instance.awaitReady(LIMIT);
                }
                seconds(System.nanoTime(), () -> answers.answeredEverywhere(all));
                Thread.sleep(3_000); // the standbys catch up
            });
            step("forwarded / direct throughput", notMeasured, log,
                    () -> throughput(group, answers, all, httpDuration, figures, log));
            if (!failures) {
                return figures;
            }
            step("a fourth instance joins under load", notMeasured, log, () -> join(group, answers, all, figures, log));
            step("kill -9 of one of four: failover", notMeasured, log, () -> {
                Thread.sleep(3_000);
                ServiceInstance victim = answers.owners(all).get(answers.projects().get(0));
                List<ServiceInstance> survivors = all.stream().filter(instance -> instance != victim).toList();
                try (SteadyLoad reads = readsOfEveryQueue(answers, survivors)) {
                    Thread.sleep(1_000); // the reads' gaps before the kill: the load's own
                    victim.kill();
                    long killed = System.nanoTime();
                    double failover = seconds(killed, () -> answers.answeredEverywhere(survivors));
                    Thread.sleep(1_000);
                    reads.stop();
                    log.printf("scale-out: 4 instances, kill -9 of %s -> every queue answered by the others: %.1f s%n",
                            victim.name(), failover);
                    figures.put("failover_after_kill_s", failover);
                    readGaps(reads, figures, log);
                }
            });
        } finally {
            all.forEach(ServiceInstance::stop);
            if (!notMeasured.isEmpty()) {
                figures.put("not_measured", notMeasured);
                List<String> logs = all.stream().map(instance -> instance.log().toString()).toList();
                figures.put("kept", Map.of("folder", folder.toString(), "instance_logs", logs));
                log.printf("scale-out: %d step(s) not measured; kept %s and the instances' logs %s%n",
                        notMeasured.size(), folder, logs);
            }
        }
        return figures;
    }

    /** Runs a step; a failure is logged, with its cause, and recorded under the step's name. */
    private static void step(String name, Map<String, String> notMeasured, PrintStream log, Step step)
            throws InterruptedException {
        try {
            step.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | AssertionError e) {
            notMeasured.put(name, String.valueOf(e));
            log.printf("scale-out: NOT MEASURED: %s: %s%n", name, e);
        }
    }

    private static void throughput(ServiceInstance.Group group, QueueAnswers answers, List<ServiceInstance> all,
                                   Duration httpDuration, Map<String, Object> figures, PrintStream log)
            throws Exception {
        Map<String, ServiceInstance> owners = answers.owners(all);
        String project = answers.projects().get(0);
        ServiceInstance owner = owners.get(project);
        ServiceInstance forwarder = all.stream().filter(instance -> instance != owner).findFirst().orElseThrow();
        String path = QueueAnswers.list(project).replace("limit=200", "limit=10");
        // the CPU each process spends per call tells what forwarding costs apart from this machine's two cores,
        // which the load, the owner and the forwarder share; both paths are warmed first, so that the JIT's work
        // on the code each path runs (the forwarder's client more than anything) is not counted per call
        String directUrl = "http://127.0.0.1:" + owner.port() + path;
        String forwardedUrl = "http://127.0.0.1:" + forwarder.port() + path;
        HttpLoad.run(directUrl, group.token(), CLIENTS, Duration.ZERO, WARMUP);
        HttpLoad.run(forwardedUrl, group.token(), CLIENTS, Duration.ZERO, WARMUP);
        Duration ownerBefore = owner.cpuTime();
        HttpLoad.Result direct = HttpLoad.run(directUrl, group.token(), CLIENTS, Duration.ZERO, httpDuration);
        Duration ownerDirect = owner.cpuTime().minus(ownerBefore);
        Duration forwarderBefore = forwarder.cpuTime();
        ownerBefore = owner.cpuTime();
        HttpLoad.Result forwarded = HttpLoad.run(forwardedUrl, group.token(), CLIENTS, Duration.ZERO, httpDuration);
        Duration ownerForwarded = owner.cpuTime().minus(ownerBefore);
        Duration forwarderCpu = forwarder.cpuTime().minus(forwarderBefore);
        double directCalls = direct.requestsPerSecond() * httpDuration.toMillis() / 1e3;
        double forwardedCalls = forwarded.requestsPerSecond() * httpDuration.toMillis() / 1e3;
        figures.put("owner_cpu_us_per_direct_call", Math.round(ownerDirect.toNanos() / 1e3 / directCalls));
        figures.put("owner_cpu_us_per_forwarded_call", Math.round(ownerForwarded.toNanos() / 1e3 / forwardedCalls));
        figures.put("forwarder_cpu_us_per_call", Math.round(forwarderCpu.toNanos() / 1e3 / forwardedCalls));
        log.printf("scale-out: CPU per call: owner %s us direct; forwarded: owner %s us + forwarder %s us%n",
                figures.get("owner_cpu_us_per_direct_call"), figures.get("owner_cpu_us_per_forwarded_call"),
                figures.get("forwarder_cpu_us_per_call"));
        log.printf("scale-out: first pages, %d clients: direct %,.0f/s (p99 %.2f ms), forwarded %,.0f/s (p99 %.2f ms)%n",
                CLIENTS, direct.requestsPerSecond(), direct.latency().p99Micros() / 1000, forwarded.requestsPerSecond(),
                forwarded.latency().p99Micros() / 1000);
        figures.put("direct_per_s", Math.round(direct.requestsPerSecond()));
        figures.put("direct_p99_ms", Math.round(direct.latency().p99Micros() / 10) / 100.0);
        figures.put("forwarded_per_s", Math.round(forwarded.requestsPerSecond()));
        figures.put("forwarded_p99_ms", Math.round(forwarded.latency().p99Micros() / 10) / 100.0);
        figures.put("forwarded_over_direct", Math.round(100 * forwarded.requestsPerSecond()
                / direct.requestsPerSecond()) / 100.0);
        figures.put("http_errors", direct.errors() + forwarded.errors());
    }

    /** Steady list calls of every queue through the survivors: right when the answer holds the queue's whole page. */
    private static SteadyLoad readsOfEveryQueue(QueueAnswers answers, List<ServiceInstance> survivors) {
        return SteadyLoad.ofQueues(survivors, (target, random, what) -> {
            String asked = answers.projects().get(random.nextInt(answers.projects().size()));
            HttpResponse<String> answer = SteadyLoad.available(target.get(QueueAnswers.list(asked)));
            what.append(asked).append(": ").append(answer.statusCode());
            return new SteadyLoad.Judged(asked, answer.statusCode() == 200 && answers.whole(answer.body()),
                    answer.body().contains("\"stale\":true"));
        });
    }

    /** Around a kill: reads that failed, those a standby copy answered, and each queue's longest gap between answers. */
    private static void readGaps(SteadyLoad reads, Map<String, Object> figures, PrintStream log) {
        List<Long> gaps = reads.longestGapByQueue().values().stream().map(Duration::toMillis).sorted().toList();
        long p50 = gaps.get(gaps.size() / 2);
        long p99 = gaps.get(Math.min(gaps.size() - 1, (int) Math.ceil(gaps.size() * 0.99) - 1));
        log.printf("scale-out: reads around the kill: %d calls, %d failed, %d from a standby copy, %d wrong; longest "
                + "gap per queue p50 %d ms, p99 %d ms%n", reads.calls(), reads.unavailable(), reads.stale(),
                reads.wrong(), p50, p99);
        figures.put("failover_reads", reads.calls());
        figures.put("failover_reads_failed", reads.unavailable());
        figures.put("failover_reads_stale", reads.stale());
        figures.put("failover_reads_wrong", reads.wrong());
        figures.put("failover_read_gap_p50_ms", p50);
        figures.put("failover_read_gap_p99_ms", p99);
    }

    private static void join(ServiceInstance.Group group, QueueAnswers answers, List<ServiceInstance> all,
                             Map<String, Object> figures, PrintStream log) throws Exception {
        long[] join;
        // steady list calls: an answer is right when it holds the queue's whole page
        try (SteadyLoad load = new SteadyLoad(List.copyOf(all), (target, random, what) -> {
            String asked = answers.projects().get(random.nextInt(answers.projects().size()));
            HttpResponse<String> answer = SteadyLoad.available(target.get(QueueAnswers.list(asked)));
            what.append(asked).append(": ").append(answer.statusCode());
            return answer.statusCode() == 200 && answers.whole(answer.body());
        })) {
            ServiceInstance d = group.instance("d").start();
            all.add(d);
            d.awaitReady(LIMIT);
            seconds(System.nanoTime(), () -> answers.answeredEverywhere(all));
            Thread.sleep(2_000);
            load.stop();
            join = new long[] {load.calls(), load.unavailable(), load.wrong()};
        }
        log.printf("scale-out: a fourth instance joined: %d calls, %d unavailable, %d wrong%n", join[0], join[1],
                join[2]);
        figures.put("join_calls", join[0]);
        figures.put("join_unavailable_share", Math.round(1000.0 * join[1] / Math.max(1, join[0])) / 1000.0);
        figures.put("join_wrong", join[2]);
    }

    /** Seconds from `from` until the condition holds, polled every 50 ms. */
    static double seconds(long from, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + LIMIT);
            }
            Thread.sleep(50);
        }
        return Math.round((System.nanoTime() - from) / 1e8) / 10.0;
    }
}
