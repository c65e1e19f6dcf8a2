package io.queueview.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.queueview.app.Application;
import io.queueview.app.EmbeddedKafka;
import io.queueview.config.Settings;
import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.query.QueueReader;
import io.queueview.query.QueueUnavailable;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.testing.Folders;
import io.queueview.testing.SingleProcessCrashes;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * queueview against the limit of this machine and against PostgreSQL, on the same data in the same run:
 * ingest (plain consumers vs. the view with exactly-once), restarts, queries in process and over HTTP.
 * Prints a markdown table and writes the figures as JSON. See docs/benchmarks.md for the command.
 */
public final class Benchmark {

    /** What to run: the full benchmark, or the small mode the test suite runs so this code never rots. */
    /** @param scaleOut whether to run the scale-out section (separate processes; ScaleOutIT covers it in verify) */
    record Options(int entries, int partitions, int calls, Duration httpDuration, Path workDir, Path jsonOut,
                   boolean ingestOnly, boolean scaleOut) {

        static Options full(Path workDir) {
            return new Options(1_000_000, 8, 3000, Duration.ofSeconds(10), workDir, Path.of("target", "benchmark.json"),
                    false, true);
        }

        static Options small(Path workDir) {
            return new Options(10_000, 2, 200, Duration.ofSeconds(1), workDir, workDir.resolve("benchmark.json"), false,
                    false);
        }
    }

    /** The scale-out section's data: many queues, so that every instance owns some. */
    private static final int SCALE_OUT_QUEUES = 24;
    private static final int SCALE_OUT_ENTRIES = 2_000;
    private static final int SCALE_OUT_CRASHES = 3;
    /** The freshness section's steady rates, events per second, each for a minute in the full run. */
    private static final int[] FRESHNESS_RATES = {100, 1_000, 5_000, 20_000};
    private static final Duration FRESHNESS_DURATION = Duration.ofSeconds(60);

    /** Time for one query's calls on one target (fewer calls when they are slow). */
    private static final Duration QUERY_BUDGET = Duration.ofSeconds(6);

    private final Options options;
    private final PrintStream log;
    private final BenchData data;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    Benchmark(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.data = new BenchData(options.entries(), 20_251_201L);
    }

    /** A failed run exits with 1: a broker or a service process it started would otherwise keep the JVM alive. */
    public static void main(String[] args) {
        try {
            runAsAsked(args);
        } catch (Throwable failed) {
            failed.printStackTrace();
            System.exit(1);
        }
    }

    private static void runAsAsked(String[] args) throws Exception {
        Path work = Files.createTempDirectory("queueview-bench");
        Options options = Options.full(work);
        boolean scale = false;
        // --small; for experiments: --entries=N, --ingest-only (ingest and a restart), --scale-out-only,
        // --forwarding-only (the scale-out section's throughput through the owner and a forwarder), --streams-only,
        // --crash-only[=N] (kill -9 of the single process with its embedded broker, N times: 20), --https-only,
        // --secured-only (freshness at 1,000 events/s with queueview over PLAINTEXT and over SASL_SSL, one broker),
        // --estimates-only[=seed,seed] (the estimated wait against a simulated scheduler's dispatches; no broker)
        // --peer-client-only (the forwarder's client, ours against Apache HttpClient 5, on one owner)
        // --watch-only (watches of one job and change streams open together on one instance)
        for (String arg : args) {
            if (arg.equals("--small")) {
                options = Options.small(work);
            } else if (arg.startsWith("--scale")) { // --scale[=N]: N events (10M), ingest, heap, restarts; no queries
                int entries = arg.contains("=") ? Integer.parseInt(arg.substring(arg.indexOf('=') + 1)) : 10_000_000;
                options = new Options(entries, options.partitions(), options.calls(), options.httpDuration(), work,
                        Path.of("target", "benchmark-scale.json"), true, false);
                scale = true;
            } else if (arg.startsWith("--entries=")) {
                options = new Options(Integer.parseInt(arg.substring(10)), options.partitions(), options.calls(),
                        options.httpDuration(), work, options.jsonOut(), options.ingestOnly(), options.scaleOut());
            } else if (arg.equals("--ingest-only")) {
                options = new Options(options.entries(), options.partitions(), options.calls(),
                        options.httpDuration(), work, options.jsonOut(), true, false);
            } else if (arg.startsWith("--freshness-only")) { // --freshness-only[=QUEUEVIEW_X=value,...]
                String[] overrides = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1).split("[=,]") : new String[0];
                try {
                    System.out.println(BenchReport.freshness(Freshness.measure(work, FRESHNESS_RATES,
                            Duration.ofSeconds(5), FRESHNESS_DURATION, Duration.ofSeconds(10), System.err, overrides)));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.equals("--streams-only")) { // the change streams: 1 and then 200 open on one instance
                try {
                    System.out.println(BenchReport.changeStreams(ChangeStreamLoad.measure(work, new int[] {1, 200},
                            20, Duration.ofSeconds(20), System.err)));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.equals("--watch-only")) { // watches of one job and change streams together on one instance
                try {
                    System.out.println(WatchLoad.measure(work, List.of(new WatchLoad.Round(100, 20),
                            new WatchLoad.Round(200, 25)), 5, Duration.ofSeconds(20), System.err));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.equals("--https-only")) { // the same first pages over HTTP and HTTPS, direct and forwarded
                try {
                    System.out.println(BenchReport.https(HttpsCost.measure(work, Duration.ofSeconds(10), System.err)));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.equals("--secured-only")) { // freshness at 1,000 events/s, PLAINTEXT vs SASL_SSL, one broker
                try {
                    System.out.println(BenchReport.secured(SecuredFreshness.measure(work, Duration.ofSeconds(15),
                            Duration.ofSeconds(30), System.err)));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.startsWith("--estimates-only")) { // --estimates-only[=seed,seed]: the estimate-error table
                String seeds = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "20261202,7";
                List<Map<String, Object>> runs = new ArrayList<>();
                for (String seed : seeds.split(",")) {
                    runs.add(EstimateError.measure(Long.parseLong(seed.trim()), System.err));
                }
                System.out.println(EstimateError.table(runs));
                System.exit(0);
            } else if (arg.startsWith("--crash-only")) { // --crash-only[=N]: N kill -9 restarts (20) of the single process
                int crashes = arg.contains("=") ? Integer.parseInt(arg.substring(arg.indexOf('=') + 1)) : 20;
                try {
                    System.out.println(BenchReport.crashes(SingleProcessCrashes.run(work, crashes, 300)));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.equals("--peer-client-only")) { // the forwarder's client: ours against HttpClient 5
                try {
                    System.out.println(BenchReport.peerClients(PeerClientCost.measure(work, Duration.ofSeconds(8),
                            System.err)));
                } finally {
                    Folders.delete(work);
                }
                System.exit(0);
            } else if (arg.equals("--scale-out-only") || arg.equals("--forwarding-only")) {
                boolean failures = arg.equals("--scale-out-only");
                Map<String, Object> scaleOut = ScaleOut.measure(work, SCALE_OUT_QUEUES, SCALE_OUT_ENTRIES,
                        failures ? SCALE_OUT_CRASHES : 0, options.httpDuration(), failures, System.err);
                System.out.println(BenchReport.scaleOut(scaleOut));
                if (!scaleOut.containsKey("not_measured")) { // else kept, to read the instances' data and logs
                    Folders.delete(work);
                }
                System.exit(0); // the in-JVM broker of the instances' group
            } else {
                throw new IllegalArgumentException("unknown argument " + arg
                        + "; use --small, --scale[=N], --entries=N, --ingest-only, --scale-out-only, --forwarding-only,"
                        + " --streams-only, --crash-only[=N], --https-only, --secured-only, --estimates-only[=seed,seed],"
                        + " --watch-only,"
                        + " --peer-client-only");
            }
        }
        Benchmark benchmark = new Benchmark(options, System.err);
        try {
            System.out.println(scale ? benchmark.scale() : benchmark.run());
        } finally {
            Object scaleOut = benchmark.figures.get("scale_out");
            boolean kept = scaleOut instanceof Map<?, ?> section && section.containsKey("not_measured");
            if (!kept) { // a scale-out step that could not measure keeps its instances' folder and logs
                Folders.delete(work);
            }
        }
    }

    /** Runs everything; returns the markdown table. */
    String run() throws Exception {
        figures.put("machine", machine());
        figures.put("entries", options.entries());
        try (EmbeddedKafka broker = EmbeddedKafka.start(options.workDir().resolve("kafka"), 0)) {
            String events = "bench-events";
            produce(broker.bootstrapServers(), events);
            double bytesOnly = ConsumerLimit.eventsPerSecond(broker.bootstrapServers(), events, options.entries(), false);
            double parsedBefore = ConsumerLimit.eventsPerSecond(broker.bootstrapServers(), events, options.entries(), true);
            log.printf("plain consumer: %,.0f events/s bytes only, %,.0f events/s parsed%n", bytesOnly, parsedBefore);
            Settings settings = settings(broker.bootstrapServers(), events);
            Map<String, Object> queries;
            Map<String, Object> http;
            double ingest;
            double parsed;
            try (Application app = Application.start(settings)) {
                ingest = ingestRate(app);
                parsed = options.ingestOnly() ? parsedBefore : Math.max(parsedBefore,
                        ConsumerLimit.eventsPerSecond(broker.bootstrapServers(), events, options.entries(), true));
                queries = options.ingestOnly() ? Map.of() : queries(new StoreTarget(app.reader()));
                http = options.ingestOnly() ? Map.of() : http(app);
            }
            // after queueview, so that it is the floor that runs on a JVM warmed by Streams, not queueview
            double floor = StreamsLimit.eventsPerSecond(settings, broker.bootstrapServers(),
                    options.workDir().resolve("streams-limit"), options.entries());
            log.printf("Streams floor (parse, repartition, one logged write): %,.0f events/s%n", floor);
            Map<String, Object> rates = new LinkedHashMap<>();
            rates.put("consumer_bytes_only_per_s", round(bytesOnly));
            rates.put("consumer_parsed_per_s", round(parsed));
            rates.put("streams_floor_per_s", round(floor));
            rates.put("queueview_per_s", round(ingest));
            rates.put("queueview_over_parsed", round2(ingest / parsed));
            rates.put("queueview_over_streams_floor", round2(ingest / floor));
            figures.put("ingest", rates);
            figures.put("queries", queries);
            figures.put("http", http);
            figures.put("ready_after_restart_s", round2(readySeconds(settings)));
            if (options.ingestOnly()) {
                log.println("ingest only: " + figures.get("ingest") + ", ready after restart "
                        + figures.get("ready_after_restart_s") + " s");
                return "";
            }
            Folders.delete(settings.dataDir().resolve("streams"));
            figures.put("ready_after_state_deleted_s", round2(readySeconds(settings)));
            ServiceProcess.measure(options.workDir(), broker.bootstrapServers(), events, options.partitions(),
                    data.queues(), options.entries(), log).ifPresent(service -> figures.put("service_process",
                    Map.of("events_per_s", round(service.eventsPerSecond()), "peak_rss_mib", service.peakRssMib())));
        }
        figures.put("peak_rss_mib", ServiceProcess.peakRssMib(ProcessHandle.current().pid()));
        figures.put("freshness", options.scaleOut()
                ? Freshness.measure(options.workDir().resolve("freshness"), FRESHNESS_RATES, Duration.ofSeconds(5),
                        FRESHNESS_DURATION, Duration.ofSeconds(10), log)
                : Freshness.measure(options.workDir().resolve("freshness"), new int[] {100, 1_000}, Duration.ofSeconds(1),
                        Duration.ofSeconds(3), Duration.ofSeconds(1), log)); // the small mode: that it runs, not figures
        if (options.scaleOut()) {
            figures.put("scale_out", ScaleOut.measure(options.workDir().resolve("scale-out"), SCALE_OUT_QUEUES,
                    SCALE_OUT_ENTRIES, SCALE_OUT_CRASHES, options.httpDuration(), true, log));
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(options.jsonOut().toAbsolutePath().getParent());
        json.writeValue(options.jsonOut().toFile(), figures);
        log.println("figures written to " + options.jsonOut());
        return BenchReport.markdown(figures);
    }

    /**
     * The scale run: the events produced once; the Streams floor and queueview's bootstrap on them; the heap
     * queueview holds once every entry is queryable (after a full collection, against before it started); ready
     * after a clean restart and after deleting the local state, with each task's rebuild of the view.
     */
    String scale() throws Exception {
        figures.put("machine", machine());
        figures.put("entries", options.entries());
        Map<String, Object> section = new LinkedHashMap<>();
        figures.put("scale", section);
        try (EmbeddedKafka broker = EmbeddedKafka.start(options.workDir().resolve("kafka"), 0)) {
            String events = "bench-events";
            produce(broker.bootstrapServers(), events);
            Settings settings = settings(broker.bootstrapServers(), events);
            long heapBefore = usedAfterCollection();
            double ingest;
            long heapWith;
            log.printf("scale: queueview's bootstrap of %,d events%n", options.entries());
            try (Application app = Application.start(settings)) {
                ingest = ingestRate(app);
                heapWith = usedAfterCollection();
            }
            long heap = heapWith - heapBefore;
            log.printf("scale: heap held by queueview with every entry queryable: %,d MiB (%,d bytes per entry)%n",
                    heap >> 20, heap / options.entries());
            log.printf("scale: the Streams floor on the same events%n");
            double floor = StreamsLimit.eventsPerSecond(settings, broker.bootstrapServers(),
                    options.workDir().resolve("streams-limit"), options.entries());
            log.printf("Streams floor (parse, repartition, one logged write): %,.0f events/s%n", floor);
            Folders.delete(options.workDir().resolve("streams-limit"));
            section.put("streams_floor_per_s", round(floor));
            section.put("queueview_per_s", round(ingest));
            section.put("queueview_over_streams_floor", round2(ingest / floor));
            section.put("heap_mib", heap >> 20);
            section.put("heap_bytes_per_entry", heap / options.entries());
            section.put("restart", restart(settings, "clean restart"));
            Folders.delete(settings.dataDir().resolve("streams"));
            section.put("restore", restart(settings, "local state deleted, restore from the changelogs"));
        }
        section.put("peak_rss_mib", ServiceProcess.peakRssMib(ProcessHandle.current().pid()));
        double millions = options.entries() / 1e6;
        Map<String, Object> perMillion = new LinkedHashMap<>();
        perMillion.put("heap_mib", round2(((Number) section.get("heap_mib")).doubleValue() / millions));
        perMillion.put("bootstrap_s", round2(1e6 / ((Number) section.get("queueview_per_s")).doubleValue()));
        perMillion.put("streams_floor_s", round2(1e6 / ((Number) section.get("streams_floor_per_s")).doubleValue()));
        for (String step : List.of("restart", "restore")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> times = (Map<String, Object>) section.get(step);
            perMillion.put(step + "_ready_s", round2(((Number) times.get("ready_s")).doubleValue() / millions));
            perMillion.put(step + "_rebuild_thread_s",
                    round2(((Number) times.get("rebuild_longest_thread_ms")).doubleValue() / 1000 / millions));
        }
        section.put("per_million", perMillion);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.createDirectories(options.jsonOut().toAbsolutePath().getParent());
        json.writeValue(options.jsonOut().toFile(), figures);
        log.println("figures written to " + options.jsonOut());
        return BenchReport.scale(figures);
    }

    /** Ready on the existing data folder, with where the rebuild of the view went: per task, and per stream thread. */
    private Map<String, Object> restart(Settings settings, String what) throws Exception {
        log.printf("scale: ready after a %s%n", what);
        try (RebuildLog rebuilds = RebuildLog.attach()) {
            double seconds = readySeconds(settings);
            Map<String, Long> threadMillis = new TreeMap<>();
            long entries = 0;
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (RebuildLog.TaskRebuild task : rebuilds.rebuilds()) {
                threadMillis.merge(task.thread(), task.millis(), Long::sum);
                entries += task.entries();
                tasks.add(Map.of("task", task.task(), "entries", task.entries(), "ms", task.millis()));
                log.printf("  task %s on %s: %,d entries in memory in %,d ms%n", task.task(), task.thread(),
                        task.entries(), task.millis());
            }
            long longest = threadMillis.values().stream().mapToLong(Long::longValue).max().orElse(0);
            long total = threadMillis.values().stream().mapToLong(Long::longValue).sum();
            log.printf("scale: ready in %.2f s; rebuild %,d ms on the busiest stream thread, %,d ms in all, %,d entries%n",
                    seconds, longest, total, entries);
            Map<String, Object> times = new LinkedHashMap<>();
            times.put("ready_s", round2(seconds));
            times.put("rebuild_longest_thread_ms", longest);
            times.put("rebuild_all_tasks_ms", total);
            times.put("rebuild_entries", entries);
            times.put("tasks", tasks);
            return times;
        }
    }

    private static long usedAfterCollection() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private Settings settings(String bootstrap, String events) {
        Map<String, String> env = new java.util.HashMap<>();
        System.getenv().forEach((name, value) -> { // for experiments: QUEUEVIEW_COMMIT_INTERVAL=PT0.1S and such
            if (name.startsWith("QUEUEVIEW_")) {
                env.put(name, value);
            }
        });
        env.putAll(Map.of(
                "QUEUEVIEW_KAFKA_BOOTSTRAP", bootstrap,
                "QUEUEVIEW_DATA_DIR", options.workDir().resolve("queueview").toString(),
                "QUEUEVIEW_HTTP_PORT", "0",
                "QUEUEVIEW_EVENTS_TOPIC", events,
                "QUEUEVIEW_PARTITIONS", Integer.toString(options.partitions()),
                "QUEUEVIEW_REPLICATION_FACTOR", "1",
                "QUEUEVIEW_PROCESSING_GUARANTEE", "exactly_once_v2"));
        return Settings.from(env);
    }

    private void produce(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, options.partitions(), (short) 1))).all().get();
        }
        long started = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024), new ByteArraySerializer(), new ByteArraySerializer())) {
            Iterator<Entry> entries = data.entries();
            for (int i = 0; entries.hasNext(); i++) {
                Entry entry = entries.next();
                byte[] value = BenchData.enqueued(entry);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, Long.toString(entry.id()).getBytes(), value));
                if (i % 200_000 == 0 && i > 0) {
                    log.printf("  produced %,d events%n", i);
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log.printf("produced %,d events (%.0f bytes each on average) in %.1f s%n", options.entries(),
                (double) bytes / options.entries(), seconds);
        figures.put("event_bytes_avg", round((double) bytes / options.entries()));
    }

    /** From start to "every entry queryable": events per second. */
    private double ingestRate(Application app) throws InterruptedException {
        long started = System.nanoTime();
        if (!app.awaitReady(Duration.ofMinutes(5))) {
            throw new IllegalStateException("queueview did not become ready");
        }
        long lastLog = started;
        while (queryable(app.reader()) < options.entries()) {
            Thread.sleep(1000); // seldom: on two cores the checks would take CPU from the view being measured
            if (System.nanoTime() - lastLog > 5e9) {
                lastLog = System.nanoTime();
                long check = System.nanoTime();
                long queryable = queryable(app.reader());
                log.printf("  queryable: %,d of %,d (checking all %d queues took %.1f ms)%n", queryable,
                        options.entries(), data.queues().size(), (System.nanoTime() - check) / 1e6);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log.printf("queueview: %,d events queryable in %.1f s%n", options.entries(), seconds);
        return options.entries() / seconds;
    }

    private long queryable(QueueReader reader) {
        long total = 0;
        for (QueueId queue : data.queues()) {
            try {
                total += reader.list(new ListQuery(queue, Filters.NONE, 1, 0)).total();
            } catch (QueueUnavailable e) {
                return 0;
            }
        }
        return total;
    }

    private Map<String, Object> queries(QueryTarget queueview) throws Exception {
        List<BenchQuery> mix = mix(data);
        Optional<PostgresBaseline> postgres = PostgresBaseline.start(options.workDir().resolve("postgres"), log);
        try {
            if (postgres.isPresent()) {
                postgres.get().load(data.entries());
            }
            Map<String, Object> results = new LinkedHashMap<>();
            for (BenchQuery query : mix) {
                Map<String, Object> row = new LinkedHashMap<>();
                Answer answer = queueview.run(query);
                row.put("matches", answer.total());
                Latency ours = Latency.measure(queueview, query, options.calls() / 5, options.calls(), QUERY_BUDGET);
                row.put("queueview_p50_us", round2(ours.p50Micros()));
                row.put("queueview_p99_us", round2(ours.p99Micros()));
                row.put("queueview_calls", ours.calls());
                if (postgres.isPresent()) {
                    Answer theirs = postgres.get().run(query);
                    if (!theirs.equals(answer)) {
                        throw new IllegalStateException(query.name() + ": queueview answered " + answer
                                + " but PostgreSQL " + theirs);
                    }
                    int calls = Math.max(50, options.calls() / 10);
                    Latency baseline = Latency.measure(postgres.get(), query, calls / 5, calls, QUERY_BUDGET);
                    row.put("postgres_p50_us", round2(baseline.p50Micros()));
                    row.put("postgres_p99_us", round2(baseline.p99Micros()));
                    row.put("postgres_calls", baseline.calls());
                    row.put("postgres_over_queueview_p50", round2(baseline.p50Micros() / ours.p50Micros()));
                    row.put("postgres_over_queueview_p99", round2(baseline.p99Micros() / ours.p99Micros()));
                }
                results.put(query.name(), row);
                log.printf("  %-40s %s%n", query.name(), row);
            }
            figures.put("postgres", postgres.map(PostgresBaseline::name).orElse("absent"));
            return results;
        } finally {
            if (postgres.isPresent()) {
                postgres.get().close();
            }
        }
    }

    /** The fixed query mix: on the big queue and on a small one (ViewQueries runs it on the view alone). */
    static List<BenchQuery> mix(BenchData data) {
        List<BenchQuery> mix = new ArrayList<>();
        int middle = data.bigQueueSize() / 2; // an entry of the big queue, by generation index
        int smallFirst = data.bigQueueSize();
        for (QueueId queue : List.of(BenchData.BIG_QUEUE, BenchData.SMALL_QUEUE)) {
            String size = queue.equals(BenchData.BIG_QUEUE) ? "big" : "small";
            int index = queue.equals(BenchData.BIG_QUEUE) ? middle : smallFirst;
            long jobId = 7L * index + 13;
            mix.add(BenchQuery.page(size + ": first page + total", queue, Filters.NONE, 0));
            mix.add(BenchQuery.page(size + ": offset 10,000", queue, Filters.NONE, 10_000));
            mix.add(BenchQuery.page(size + ": MODELARTS cluster + total", queue,
                    new Filters(null, null, null, null, null, "MODELARTS", "ma-07"), 0));
            mix.add(BenchQuery.page(size + ": rare data_id + total", queue,
                    new Filters(null, null, null, "DPK0004242", null, null, null), 0));
            mix.add(BenchQuery.page(size + ": processor_name", queue,
                    new Filters(null, null, null, null, "proc-13", null, null), 0));
            mix.add(BenchQuery.page(size + ": job_id", queue, new Filters(jobId, null, null, null, null, null, null), 0));
            mix.add(BenchQuery.page(size + ": CCE cluster + output_type", queue,
                    new Filters(null, "DATA_SET", null, null, null, "CCE", "cce-03"), 0));
            mix.add(BenchQuery.position(size + ": position of an entry", queue, index + 1L));
        }
        return mix;
    }

    private Map<String, Object> http(Application app) throws Exception {
        String url = "http://127.0.0.1:" + app.httpPort() + "/v1.0/" + BenchData.BIG_QUEUE.projectId()
                + "/data/queuing-jobs?queue_type=PROCESSOR";
        HttpLoad.Result result = HttpLoad.run(url, app.demoToken(), 16, Duration.ofSeconds(2), options.httpDuration());
        log.printf("  HTTP first pages, 16 clients: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d errors%n",
                result.requestsPerSecond(), result.latency().p50Micros() / 1e3, result.latency().p99Micros() / 1e3,
                result.errors());
        return Map.of("clients", 16, "requests_per_s", round(result.requestsPerSecond()),
                "p50_ms", round2(result.latency().p50Micros() / 1e3), "p99_ms", round2(result.latency().p99Micros() / 1e3),
                "errors", result.errors());
    }

    /** Seconds from start to ready (every partition's state in place) on the existing data folder. */
    private double readySeconds(Settings settings) throws Exception {
        long started = System.nanoTime();
        try (Application app = Application.start(settings)) {
            if (!app.awaitReady(Duration.ofMinutes(10))) {
                throw new IllegalStateException("queueview did not become ready after a restart");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (queryable(app.reader()) != options.entries()) {
                throw new IllegalStateException("after a restart the view holds " + queryable(app.reader()));
            }
            return seconds;
        }
    }

    private static Map<String, Object> machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        return Map.of("cpu", cpu, "cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long round(double value) {
        return Math.round(value);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
