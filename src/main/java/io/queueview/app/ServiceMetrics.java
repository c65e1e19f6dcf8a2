package io.queueview.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.queueview.http.HttpMetrics;
import io.queueview.query.ClusterState;
import io.queueview.query.QueueReader;
import io.queueview.query.ViewFreshness;
import io.queueview.queue.QueueId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * queueview's metrics in Prometheus' format (GET /metrics): the JVM's and the process's, Kafka Streams' own, the
 * HTTP calls by route template, method and status, and the view: each queue's depth (the largest
 * `maxQueues` queues on their own, the rest summed under project_id "_other", so that 50,000 projects cannot blow
 * up a Prometheus), and each partition's input lag and the age of its last applied record.
 */
final class ServiceMetrics implements HttpMetrics, AutoCloseable {

    /** How Micrometer's Kafka binder names the task counters of topology.TaskCounters. */
    private static final String KAFKA_QUEUEVIEW = "kafka.queueview.";

    /** The series standing for every queue past the largest ones. */
    static final String OTHER_QUEUES = "_other";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final QueueReader reader;
    private final int maxQueues;
    private final MultiGauge depths;
    private final MultiGauge lags;
    private final MultiGauge appliedAges;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Timer> httpTimers = new ConcurrentHashMap<>();
    private static final Duration STREAMS_METRICS_REFRESH = Duration.ofSeconds(5);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "kafka-metrics-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private KafkaStreamsMetrics streamsMetrics;

    ServiceMetrics(QueueReader reader, int maxQueues) {
        this.reader = reader;
        this.maxQueues = maxQueues;
        registry.config().meterFilter(MeterFilter.deny(ServiceMetrics::inNanosOrMillis))
                .meterFilter(PROMETHEUS_CONVENTIONS);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        depths = MultiGauge.builder("queueview.queue.depth").description("entries queued, per queue")
                .baseUnit("entries").register(registry);
        lags = MultiGauge.builder("queueview.partition.lag")
                .description("records of a partition's input not applied yet, as Kafka Streams last saw them")
                .baseUnit("records").register(registry);
        appliedAges = MultiGauge.builder("queueview.partition.applied.age")
                .description("time since the timestamp of the last record a partition applied")
                .baseUnit("seconds").register(registry);
    }

    /**
     * Metrics kept in nanoseconds or milliseconds (Kafka's io and wait time totals, the process's CPU time): Prometheus
     * wants seconds, and a filter cannot rescale a gauge's value, so they are left out; their ratios and the
     * process's CPU usage stay.
     */
    private static boolean inNanosOrMillis(Meter.Id id) {
        List<String> words = List.of(id.getName().split("[.-]"));
        return words.contains("ns") || words.contains("ms") || "ns".equals(id.getBaseUnit())
                || "ms".equals(id.getBaseUnit());
    }

    /**
     * Kafka's and a few JVM binders' names as Prometheus' conventions (and promtool) want them: no "_count" ending
     * but on counts of histograms, and help text on every metric (its name, where Kafka gives none).
     */
    private static final MeterFilter PROMETHEUS_CONVENTIONS = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            List<String> words = new ArrayList<>(List.of(id.getName().split("\\.")));
            boolean summary = id.getType() == Meter.Type.TIMER || id.getType() == Meter.Type.DISTRIBUTION_SUMMARY;
            if (!summary && words.size() > 1 && words.get(words.size() - 1).equals("count")) {
                words.set(words.size() - 1, "number");
            }
            String name = String.join(".", words);
            if (name.startsWith(KAFKA_QUEUEVIEW)) { // queueview's own counters, kept as Kafka Streams task metrics
                name = "queueview." + name.substring(KAFKA_QUEUEVIEW.length());
            }
            String description = id.getDescription() == null || id.getDescription().isBlank() ? name
                    : id.getDescription();
            return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
        }
    };

    /** Binds Kafka Streams' own metrics (consumer, producer, tasks, stores). */
    void bind(KafkaStreams streams) {
        // Kafka's metrics come and go with tasks (queueview's counters among them): looked for every few seconds,
        // not the binder's default minute
        streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), refresher, STREAMS_METRICS_REFRESH);
        streamsMetrics.bindTo(registry);
    }

    /** Found once per route, method and status: every call passes here, and building a meter's id is not free. */
    @Override
    public void answered(String route, String method, int status, double millis) {
        httpTimers.computeIfAbsent(method + " " + status + " " + route, key -> Timer.builder("queueview.http.requests")
                        .description("HTTP calls answered")
                        .tags("route", route, "method", method, "status", Integer.toString(status))
                        .publishPercentileHistogram()
                        .register(registry))
                .record(Math.round(millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    /** The view's figures are read when scraped, so they are as fresh as the scrape. */
    @Override
    public String scrape() {
        refreshView();
        return registry.scrape();
    }

    private void refreshView() {
        List<Map.Entry<QueueId, Long>> byDepth = new ArrayList<>(reader.depths().entrySet());
        byDepth.sort(Map.Entry.<QueueId, Long>comparingByValue(Comparator.reverseOrder()));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        long others = 0;
        for (int i = 0; i < byDepth.size(); i++) {
            Map.Entry<QueueId, Long> queue = byDepth.get(i);
            if (i < maxQueues) {
                rows.add(MultiGauge.Row.of(Tags.of("project_id", queue.getKey().projectId(),
                        "queue_type", queue.getKey().type().name()), queue.getValue()));
            } else {
                others += queue.getValue();
            }
        }
        if (byDepth.size() > maxQueues) {
            rows.add(MultiGauge.Row.of(Tags.of("project_id", OTHER_QUEUES, "queue_type", OTHER_QUEUES), others));
        }
        depths.register(rows, true);

        ClusterState cluster = reader.cluster();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        Instant now = Instant.now();
        for (Map.Entry<Integer, ViewFreshness> partition : cluster.views().entrySet()) {
            Tags tags = Tags.of("partition", Integer.toString(partition.getKey()));
            lagRows.add(MultiGauge.Row.of(tags, partition.getValue().lag()));
            if (partition.getValue().appliedUntil() != null) {
                ageRows.add(MultiGauge.Row.of(tags,
                        Duration.between(partition.getValue().appliedUntil(), now).toMillis() / 1e3));
            }
        }
        lags.register(lagRows, true);
        appliedAges.register(ageRows, true);
    }

    @Override
    public void close() {
        gc.close();
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        refresher.shutdownNow();
        registry.close();
    }
}
