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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's watch section (--watch-only): watches of one job each and change streams, open together on one
 * instance, while the head of their queue is dispatched at a steady pace — every dispatch moves every watched job
 * up one place. For each watch and dispatch, the delay from Kafka's acknowledgement of the dispatch to the first
 * event that shows the watched job at or past its new position (a burst may be told in one event), and for each
 * change stream to its REMOVE; queueview's CPU, heap after a full collection and threads while they are open.
 * queueview runs as its own process on the benchmark's broker.
 */
final class WatchLoad {

    private static final String PROJECT = "watches";
    private static final String BASE = "/v1.0/" + PROJECT + "/data/queuing-jobs";
    private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");
    private static final Pattern REMOVED = Pattern.compile("\"change\":\"REMOVE\".*\"id\":(\\d+)");

    private WatchLoad() {
    }

    /** One round: how many watches and change streams are open together. */
    record Round(int watches, int streams) {
    }

    static String measure(Path folder, List<Round> rounds, int dispatchesPerSecond, Duration duration,
                          PrintStream log) throws Exception {
        // room for the streams of earlier rounds too: the server finds a stream closed on its next write to it
        int all = rounds.stream().mapToInt(round -> round.watches() + round.streams()).sum();
        String cap = Integer.toString(all + 10);
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4, "QUEUEVIEW_CHANGE_STREAMS_MAX", cap,
                "QUEUEVIEW_CHANGE_STREAMS_PER_TOKEN", cap);
        StringBuilder table = new StringBuilder("| open on one instance (" + dispatchesPerSecond + " dispatches/s of the "
                + "head; acknowledged by Kafka -> read by the client) | watch deliveries | missing | watch p50 ms | "
                + "watch p99 ms | stream p99 ms | queueview CPU (share of a core) | heap after GC MiB | threads |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        try (ServiceInstance service = group.instance("watches").start();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedBroker.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            service.awaitReady(Duration.ofSeconds(120));
            long nextId = 1;
            for (Round round : rounds) {
                int dispatches = (int) (dispatchesPerSecond * duration.toSeconds());
                long head = nextId; // dispatched one by one, ahead of the watched jobs
                long firstWatched = head + dispatches;
                for (long id = head; id < firstWatched + round.watches(); id++) {
                    send(producer, group, EventJson.enqueued(PROJECT, "PROCESSOR", id).version(1));
                }
                nextId = firstWatched + round.watches();
                producer.flush();
                Thread.sleep(3_000); // the view has them all
                List<EventStream> streams = new ArrayList<>();
                List<EventStream> watches = new ArrayList<>();
                try {
                    for (int i = 0; i < round.streams(); i++) {
                        streams.add(opened(EventStream.open(service.port(), BASE + "/changes?queue_type=PROCESSOR",
                                group.token(), null)));
                    }
                    for (int i = 0; i < round.watches(); i++) {
                        watches.add(opened(EventStream.open(service.port(), BASE + "/" + (firstWatched + i)
                                + "/watch?queue_type=PROCESSOR", group.token(), null)));
                    }
                    long heap = service.heapAfterGc();
                    int threads = service.threads();
                    List<EventStream.Event> firstPositions = new ArrayList<>();
                    for (EventStream watch : watches) {
                        firstPositions.add(watch.next(Duration.ofSeconds(30)));
                        watch.drain();
                    }
                    streams.forEach(EventStream::drain);
                    long[] acknowledged = new long[dispatches];
                    Duration cpuBefore = service.cpuTime();
                    long started = System.nanoTime();
                    for (int k = 0; k < dispatches; k++) {
                        long wait = started + k * 1_000_000_000L / dispatchesPerSecond - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        send(producer, group, EventJson.dequeued(PROJECT, "PROCESSOR", head + k).version(2)
                                .with("reason", "DISPATCHED"));
                        acknowledged[k] = System.nanoTime();
                    }
                    Thread.sleep(3_000); // the last dispatches reach every client
                    double seconds = (System.nanoTime() - started) / 1e9;
                    double cpuShare = (service.cpuTime().minus(cpuBefore).toNanos() / 1e9) / seconds;
                    List<Double> watchDelays = new ArrayList<>();
                    long missing = 0;
                    for (int w = 0; w < watches.size(); w++) {
                        long startPosition = positionIn(firstPositions.get(w));
                        List<EventStream.Event> events = watches.get(w).drain();
                        int e = 0;
                        for (int k = 0; k < dispatches; k++) {
                            long target = startPosition - (k + 1);
                            while (e < events.size() && !(events.get(e).name().equals("position")
                                    && positionIn(events.get(e)) <= target)) {
                                e++;
                            }
                            if (e == events.size()) {
                                missing += dispatches - k;
                                break;
                            }
                            watchDelays.add((events.get(e).receivedNanos() - acknowledged[k]) / 1e6);
                        }
                    }
                    List<Double> streamDelays = new ArrayList<>();
                    for (EventStream stream : streams) {
                        for (EventStream.Event event : stream.drain()) {
                            Matcher removed = REMOVED.matcher(event.data());
                            if (removed.find()) {
                                int k = (int) (Long.parseLong(removed.group(1)) - head);
                                if (k >= 0 && k < dispatches) {
                                    streamDelays.add((event.receivedNanos() - acknowledged[k]) / 1e6);
                                }
                            }
                        }
                    }
                    watchDelays.sort(Double::compare);
                    streamDelays.sort(Double::compare);
                    String row = String.format("| %d watches + %d change streams | %d | %d | %.0f | %.0f | %.0f | %.3f | %.0f | %d |%n",
                            round.watches(), round.streams(), watchDelays.size(), missing,
                            percentile(watchDelays, 0.5), percentile(watchDelays, 0.99),
                            percentile(streamDelays, 0.99), cpuShare, heap / 1048576.0, threads);
                    log.print("watches: " + row);
                    table.append(row);
                } finally {
                    watches.forEach(EventStream::close);
                    streams.forEach(EventStream::close);
                }
            }
        }
        return table.toString();
    }

    private static EventStream opened(EventStream stream) {
        if (stream.status() != 200) {
            throw new IllegalStateException("a stream was refused: " + stream.body());
        }
        if (!stream.next(Duration.ofSeconds(30)).name().equals("ready")) {
            throw new IllegalStateException("a stream did not start with ready");
        }
        return stream;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, ServiceInstance.Group group, EventJson event)
            throws Exception {
        producer.send(new ProducerRecord<>(group.eventsTopic(), PROJECT.getBytes(StandardCharsets.UTF_8),
                event.bytes())).get();
    }

    private static long positionIn(EventStream.Event event) {
        Matcher position = POSITION.matcher(event.data());
        return position.find() ? Long.parseLong(position.group(1)) : Long.MAX_VALUE;
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
