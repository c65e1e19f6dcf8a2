package io.queueview.bench;

import io.queueview.testing.EventJson;
import io.queueview.testing.ServiceInstance;
import io.queueview.testing.SharedBroker;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's freshness section: how long a new event takes to show in the list at the steady rates a
 * scheduler produces, not in a bulk catch-up. queueview runs as its own process (its CPU read from /proc) on the
 * benchmark's broker, which is another process; a producer with Kafka's default settings sends enqueues of new
 * entries (each followed later by the dequeue of an old one, so the queue stays small) at a fixed rate, each new
 * entry first in queue order (a lower rank_stamp than any before), and a client asks for the queue's first entry
 * every 2 ms: every entry up to the one it finds has become visible then, and the time from its send is one
 * sample — of every event, not of a chosen few. Per rate: p50, p99 and max, how long after the last event the view
 * had caught up, and queueview's CPU as a share of one core (the client's 500 calls a second included).
 */
final class Freshness {

    record Rate(int eventsPerSecond, long samples, double p50Ms, double p99Ms, double maxMs, double caughtUpMs,
                double cpuShare) {

        /** The figures as the benchmark's JSON has them. */
        Map<String, Object> figures() {
            return Map.of("events_per_s", eventsPerSecond, "samples", samples, "p50_ms", round(p50Ms, 1),
                    "p99_ms", round(p99Ms, 1), "max_ms", round(maxMs, 1), "caught_up_ms", round(caughtUpMs, 0),
                    "cpu_share", round(cpuShare, 3));
        }

        @Override
        public String toString() {
            return String.format("%,d events/s: %d samples, p50 %.0f ms, p99 %.0f ms, max %.0f ms; caught up %.0f ms "
                    + "after the last; queueview's CPU %.0f %% of a core", eventsPerSecond, samples, p50Ms, p99Ms, maxMs,
                    caughtUpMs, 100 * cpuShare);
        }
    }

    /** Every event's time from its send to the answer that first showed it, at one rate, and what went with it. */
    record Measurement(int eventsPerSecond, long[] latencyNanos, double caughtUpMs, double cpuShare) {

        /** Several measurements at one rate as one: every sample, the longest catch-up, the mean CPU share. */
        static Measurement pooled(List<Measurement> measurements) {
            long[] all = measurements.stream().flatMapToLong(m -> Arrays.stream(m.latencyNanos())).toArray();
            return new Measurement(measurements.get(0).eventsPerSecond(), all,
                    measurements.stream().mapToDouble(Measurement::caughtUpMs).max().orElse(-1),
                    measurements.stream().mapToDouble(Measurement::cpuShare).average().orElse(-1));
        }

        Rate rate() {
            long[] samples = latencyNanos.clone();
            Arrays.sort(samples);
            if (samples.length == 0) {
                return new Rate(eventsPerSecond, 0, -1, -1, -1, caughtUpMs, cpuShare);
            }
            return new Rate(eventsPerSecond, samples.length, samples[samples.length / 2] / 1e6,
                    samples[(int) Math.min(samples.length - 1, Math.floor(samples.length * 0.99))] / 1e6,
                    samples[samples.length - 1] / 1e6, caughtUpMs, cpuShare);
        }
    }

    private static final String PROJECT = "fresh";
    private static final String QUEUE_TYPE = "PROCESSOR";
    private static final int QUEUE_SIZE = 2_000;
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(60);

    private Freshness() {
    }

    /**
     * @param rates    events per second, each for `duration` after `warmup`
     * @param idle     how long to measure the CPU with no events at all
     * @param overrides QUEUEVIEW_* settings of the measured instance, e.g. a commit interval
     */
    static Map<String, Object> measure(Path folder, int[] rates, Duration warmup, Duration duration, Duration idle,
                                       PrintStream log, String... overrides) throws Exception {
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4, overrides);
        Map<String, Object> figures = new LinkedHashMap<>();
        try (Run run = Run.start(group, SharedBroker.bootstrapServers(), warmup.multipliedBy(4))) {
            double idleShare = run.idleCpu(idle, false);
            double pollingShare = run.idleCpu(idle, true);
            figures.put("idle_cpu_share", round(idleShare, 3));
            figures.put("idle_polled_cpu_share", round(pollingShare, 3));
            log.printf("freshness: no events, queueview's CPU %.1f %% of a core; with the client's 500 list calls a "
                    + "second %.1f %%%n", 100 * idleShare, 100 * pollingShare);
            List<Map<String, Object>> perRate = new ArrayList<>();
            for (int rate : rates) {
                Rate measured = run.at(rate, warmup, duration).rate();
                perRate.add(measured.figures());
                log.println("freshness: " + measured);
            }
            figures.put("rates", perRate);
        }
        return figures;
    }

    /**
     * One instance of a group, on any broker, and the producer that feeds it (through producerBootstrap, which may
     * be another listener than the instance's); started, and warmed up at 1,000 events/s with the client polling,
     * so that the JIT has compiled the event path and the client's calls before anything counts. Closing stops both.
     */
    static final class Run implements AutoCloseable {
        private final ServiceInstance service;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Sender sender;

        private Run(ServiceInstance service, KafkaProducer<byte[], byte[]> producer, String eventsTopic) {
            this.service = service;
            this.producer = producer;
            this.sender = new Sender(producer, eventsTopic);
        }

        static Run start(ServiceInstance.Group group, String producerBootstrap, Duration warmup) throws Exception {
            Run run = new Run(group.instance("fresh").start(), new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, producerBootstrap),
                    new ByteArraySerializer(), new ByteArraySerializer()), group.eventsTopic());
            try {
                run.service.awaitReady(Duration.ofSeconds(120));
                Sampler warming = new Sampler(run.service, Long.MAX_VALUE - 1, 1);
                warming.start();
                run.sender.run(1_000, warmup, null);
                warming.stop();
                return run;
            } catch (Exception | Error failed) {
                run.close();
                throw failed;
            }
        }

        /** queueview's CPU as a share of one core while no event is sent (polled: while the client calls). */
        double idleCpu(Duration idle, boolean polled) throws InterruptedException {
            return Freshness.idleCpu(service, idle, polled ? new Sampler(service, Long.MAX_VALUE - 1, 1) : null);
        }

        /** Sends at the rate for the warm-up, then measures it for the duration. */
        Measurement at(int rate, Duration warmup, Duration duration) throws Exception {
            sender.run(rate, warmup, null);
            return sender.measure(rate, duration, service);
        }

        @Override
        public void close() {
            producer.close();
            service.close();
        }
    }

    /** Sends enqueues of new ids and dequeues of old ones at a rate; asks for the newest entry's position. */
    private static final class Sender {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private long nextId = 1;

        Sender(KafkaProducer<byte[], byte[]> producer, String topic) {
            this.producer = producer;
            this.topic = topic;
        }

        /** Sends at the rate for a while; with a sampler, samples the newest entry meanwhile. */
        void run(int rate, Duration duration, Sampler sampler) throws InterruptedException {
            long started = System.nanoTime();
            long end = started + duration.toNanos();
            long sent = 0;
            while (System.nanoTime() < end) {
                long due = started + sent * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    continue;
                }
                long id = nextId++;
                if (sampler != null) {
                    sampler.sent(id, System.nanoTime());
                }
                send(EventJson.enqueued(PROJECT, QUEUE_TYPE, id).version(1).with("rank_stamp", -id));
                sent++;
                if (id > QUEUE_SIZE) { // the queue stays small: each new entry pushes the oldest one out
                    send(EventJson.dequeued(PROJECT, QUEUE_TYPE, id - QUEUE_SIZE).version(2).with("reason", "DISPATCHED"));
                    sent++;
                }
            }
        }

        Measurement measure(int rate, Duration duration, ServiceInstance service) throws Exception {
            Sampler sampler = new Sampler(service, nextId, (int) (2L * rate * duration.toSeconds() + 1_000));
            sampler.start();
            Duration cpuBefore = service.cpuTime();
            long started = System.nanoTime();
            run(rate, duration, sampler);
            producer.flush();
            long lastSent = System.nanoTime();
            long last = nextId - 1;
            long deadline = lastSent + CATCH_UP_LIMIT.toNanos();
            while (sampler.newestVisible() < last && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            double caughtUpMs = (System.nanoTime() - lastSent) / 1e6;
            double cpu = share(service.cpuTime().minus(cpuBefore), System.nanoTime() - started);
            sampler.stop();
            return new Measurement(rate, sampler.samples(), caughtUpMs, cpu);
        }

        private void send(EventJson event) {
            producer.send(new ProducerRecord<>(topic, PROJECT.getBytes(StandardCharsets.UTF_8), event.bytes()));
        }
    }

    /** Every 2 ms asks for the queue's first entry, the newest visible: each entry up to it is one sample. */
    private static final class Sampler {
        private static final Pattern FIRST_ID = Pattern.compile("\"list\":\\[\\{\"id\":(\\d+)");
        private static final long POLL_NANOS = 2_000_000;

        private final ServiceInstance service;
        private final long firstId;
        private final long[] sentAt;
        private final long[] latencies;
        private int count;
        private volatile long newestVisible;
        private volatile boolean running = true;
        private Thread thread;

        Sampler(ServiceInstance service, long firstId, int capacity) {
            this.service = service;
            this.firstId = firstId;
            this.sentAt = new long[capacity];
            this.latencies = new long[capacity];
            this.newestVisible = firstId - 1;
        }

        void sent(long id, long at) {
            sentAt[(int) (id - firstId)] = at;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    long polled = System.nanoTime();
                    long newest = firstEntry();
                    long now = System.nanoTime();
                    synchronized (this) {
                        for (long id = newestVisible + 1; id <= newest; id++) {
                            latencies[count++] = now - sentAt[(int) (id - firstId)];
                        }
                        if (newest > newestVisible) {
                            newestVisible = newest;
                        }
                    }
                    LockSupport.parkNanos(POLL_NANOS - (System.nanoTime() - polled));
                }
            }, "freshness-sampler");
            thread.start();
        }

        long newestVisible() {
            return newestVisible;
        }

        /** The id of the queue's first entry, or 0 when none of this run is there yet. */
        private long firstEntry() {
            try {
                HttpResponse<String> answer = service.get("/v1.0/" + PROJECT + "/data/queuing-jobs?queue_type="
                        + QUEUE_TYPE + "&limit=1");
                Matcher first = FIRST_ID.matcher(answer.body());
                long id = answer.statusCode() == 200 && first.find() ? Long.parseLong(first.group(1)) : 0;
                return id >= firstId && id < firstId + sentAt.length ? id : 0;
            } catch (UncheckedIOException notAnswering) {
                return 0;
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        synchronized long[] samples() {
            return Arrays.copyOf(latencies, count);
        }
    }

    /** queueview's CPU as a share of one core while no event is sent (and the client polls, with a sampler). */
    private static double idleCpu(ServiceInstance service, Duration idle, Sampler polling) throws InterruptedException {
        if (polling != null) {
            polling.start();
        }
        Duration before = service.cpuTime();
        long started = System.nanoTime();
        Thread.sleep(idle.toMillis());
        double share = share(service.cpuTime().minus(before), System.nanoTime() - started);
        if (polling != null) {
            polling.stop();
        }
        return share;
    }

    private static double share(Duration cpu, long wallNanos) {
        return cpu.toNanos() / (double) wallNanos;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
