package io.queueview.bench;

import io.queueview.testing.EventJson;
import io.queueview.testing.EventStream;
import io.queueview.testing.ServiceInstance;
import io.queueview.testing.SharedBroker;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's change-streams section: how long an event takes from Kafka's acknowledgement to a client of the
 * change stream, with one stream open and with many on one instance (the same queue: every stream gets every
 * event), side by side in the same run; and what the open streams cost the instance in CPU. queueview runs as its
 * own process on the benchmark's broker; the producer sends enqueues at a steady rate, each acknowledged before the
 * next is timed.
 */
final class ChangeStreamLoad {

    private static final String PROJECT = "streams";
    private static final String CHANGES = "/v1.0/" + PROJECT + "/data/queuing-jobs/changes?queue_type=PROCESSOR";
    private static final Pattern ENTRY_ID = Pattern.compile("\"entry\":\\{\"id\":(\\d+)");

    private ChangeStreamLoad() {
    }

    /** @param streamCounts how many streams to hold in each round, e.g. {1, 200} */
    static Map<String, Object> measure(Path folder, int[] streamCounts, int eventsPerSecond, Duration duration,
                                       PrintStream log) throws Exception {
        int most = Arrays.stream(streamCounts).max().orElse(1);
        // room for the streams of an earlier round: the server finds a stream closed on its next write to it
        String cap = Integer.toString(2 * most);
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4, "QUEUEVIEW_CHANGE_STREAMS_MAX", cap,
                "QUEUEVIEW_CHANGE_STREAMS_PER_TOKEN", cap);
        Map<String, Object> figures = new LinkedHashMap<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        try (ServiceInstance service = group.instance("streams").start();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            service.awaitReady(Duration.ofSeconds(120));
            long nextId = 1;
            for (int count : streamCounts) {
                List<EventStream> streams = new ArrayList<>();
                try {
                    for (int i = 0; i < count; i++) {
                        EventStream stream = EventStream.open(service.port(), CHANGES, group.token(), null);
                        if (stream.status() != 200) {
                            throw new IllegalStateException("stream " + (i + 1) + " refused: " + stream.body());
                        }
                        stream.next(Duration.ofSeconds(30)); // ready
                        streams.add(stream);
                    }
                    Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
                    Duration cpuBefore = service.cpuTime();
                    long started = System.nanoTime();
                    long sent = 0;
                    long firstId = nextId;
                    while (System.nanoTime() - started < duration.toNanos()) {
                        long due = started + sent * 1_000_000_000L / eventsPerSecond;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        long id = nextId++;
                        producer.send(new ProducerRecord<>(group.eventsTopic(),
                                PROJECT.getBytes(StandardCharsets.UTF_8),
                                EventJson.enqueued(PROJECT, "PROCESSOR", id).version(1).bytes())).get();
                        acknowledged.put(id, System.nanoTime());
                        sent++;
                    }
                    Thread.sleep(2_000); // the last events reach every stream
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double cpuShare = (service.cpuTime().minus(cpuBefore).toNanos() / 1e9) / seconds;
                    List<Double> delays = new ArrayList<>();
                    long missing = 0;
                    for (EventStream stream : streams) {
                        Map<Long, Long> received = new LinkedHashMap<>();
                        for (EventStream.Event event : stream.drain()) {
                            Matcher id = ENTRY_ID.matcher(event.data());
                            if (event.name().equals("change") && id.find()) {
                                received.put(Long.parseLong(id.group(1)), event.receivedNanos());
                            }
                        }
                        for (long id = firstId; id < nextId; id++) {
                            Long at = received.get(id);
                            if (at == null) {
                                missing++;
                            } else {
                                delays.add((at - acknowledged.get(id)) / 1e6);
                            }
                        }
                    }
                    delays.sort(Double::compare);
                    Map<String, Object> round = new LinkedHashMap<>();
                    round.put("streams", count);
                    round.put("events", sent);
                    round.put("deliveries", delays.size());
                    round.put("missing", missing);
                    round.put("p50_ms", Math.round(percentile(delays, 0.50)));
                    round.put("p99_ms", Math.round(percentile(delays, 0.99)));
                    round.put("max_ms", Math.round(percentile(delays, 1.0)));
                    round.put("cpu_share", Math.round(cpuShare * 1000) / 1000.0);
                    rounds.add(round);
                    log.printf("change streams: %d open, %d events at %d/s: %d deliveries, %d missing, p50 %d ms, "
                                    + "p99 %d ms, max %d ms; queueview's CPU %.0f %% of a core%n", count, sent,
                            eventsPerSecond, delays.size(), missing, round.get("p50_ms"), round.get("p99_ms"),
                            round.get("max_ms"), 100 * cpuShare);
                } finally {
                    streams.forEach(EventStream::close);
                }
            }
        }
        figures.put("events_per_s", eventsPerSecond);
        figures.put("rounds", rounds);
        return figures;
    }

    /** The nearest-rank percentile of sorted values; NaN when there are none. */
    private static double percentile(List<Double> sorted, double share) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(share * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
