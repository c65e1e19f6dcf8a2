package io.queueview.app;

import io.micrometer.core.instrument.Gauge;
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
import io.queueview.queue.QueueType;
import io.queueview.store.QueueDepth;
import io.queueview.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
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
    private final MultiGauge oldestAges;
    private final MultiGauge lags;
    private final MultiGauge appliedAges;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Timer> httpTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> writeTimers = new ConcurrentHashMap<>();
    private final Map<String, Timer> forwardTimers = new ConcurrentHashMap<>();
    private final Map<QueueType, Timer> waitTimers = new EnumMap<>(QueueType.class);
    private static final Duration STREAMS_METRICS_REFRESH = Duration.ofSeconds(5);
    private final Ticker time;
    /** Refreshes the Kafka Streams meters; its owner shuts it down. */
    private final ScheduledExecutorService refresher;
    private KafkaStreamsMetrics streamsMetrics;

    ServiceMetrics(QueueReader reader, int maxQueues, Ticker time, ScheduledExecutorService refresher) {
        this.reader = reader;
        this.maxQueues = maxQueues;
        this.time = time;
        this.refresher = refresher;
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
        oldestAges = MultiGauge.builder("queueview.queue.oldest.entry.age")
                .description("now minus the smallest rank_stamp queued, per queue (the \"_other\" series: the oldest "
                        + "of the rest)")
                .baseUnit("seconds").register(registry);
        for (QueueType type : QueueType.values()) { // made up front: the projector's threads only record
            waitTimers.put(type, Timer.builder("queueview.queue.wait")
                    .description("time in queue of dispatched jobs (first enqueue to dispatch, by record time), as "
                            + "this instance applied them")
                    .tags("queue_type", type.name())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofSeconds(1))
                    .maximumExpectedValue(Duration.ofDays(7))
                    .register(registry));
        }
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

    @Override
    public void changeStreams(IntSupplier open) {
        Gauge.builder("queueview.change.streams", open, IntSupplier::getAsInt)
                .description("change streams open on this instance (each holds a server thread)")
                .strongReference(true) // the supplier is a method reference nothing else holds
                .register(registry);
    }

    @Override
    public void writeWaited(String outcome, long nanos) {
        byOutcome(writeTimers, "queueview.write.wait", "how long a write call waited for its command to apply, by outcome",
                outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void forwarded(String outcome, long nanos) {
        byOutcome(forwardTimers, "queueview.forwarded.calls",
                "calls forwarded to the instance that owns their queue, by outcome", outcome)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer byOutcome(Map<String, Timer> timers, String name, String description, String outcome) {
        return timers.computeIfAbsent(outcome, key -> Timer.builder(name).description(description)
                .tags("outcome", outcome).publishPercentileHistogram().register(registry));
    }

    /**
     * A dispatch's time in queue (first enqueue to dispatch, record time), as this instance's projector applies it.
     * Tagged by queue type alone: three series whatever the number of projects, so no cap is needed (the per-queue
     * figures are the stats call's).
     */
    void dispatched(QueueType type, long waitMillis) {
        waitTimers.get(type).record(waitMillis, TimeUnit.MILLISECONDS);
    }

    /** The view's figures are read when scraped, so they are as fresh as the scrape. */
    @Override
    public String scrape() {
        refreshView();
        return registry.scrape();
    }

    private void refreshView() {
        Instant now = time.instant();
        List<Map.Entry<QueueId, QueueDepth>> byDepth = new ArrayList<>(reader.depths().entrySet());
        byDepth.sort(Comparator.comparingLong((Map.Entry<QueueId, QueueDepth> queue) -> queue.getValue().entries())
                .reversed());
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> oldestRows = new ArrayList<>();
        long others = 0;
        long othersOldest = Long.MAX_VALUE;
        for (int i = 0; i < byDepth.size(); i++) {
            QueueId queue = byDepth.get(i).getKey();
            QueueDepth depth = byDepth.get(i).getValue();
            if (i < maxQueues) {
                Tags tags = Tags.of("project_id", queue.projectId(), "queue_type", queue.type().name());
                depthRows.add(MultiGauge.Row.of(tags, depth.entries()));
                oldestRows.add(MultiGauge.Row.of(tags, secondsSince(depth.oldestRankStamp(), now)));
            } else {
                others += depth.entries();
                othersOldest = Math.min(othersOldest, depth.oldestRankStamp());
            }
        }
        if (byDepth.size() > maxQueues) {
            Tags tags = Tags.of("project_id", OTHER_QUEUES, "queue_type", OTHER_QUEUES);
            depthRows.add(MultiGauge.Row.of(tags, others));
            oldestRows.add(MultiGauge.Row.of(tags, secondsSince(othersOldest, now)));
        }
        depths.register(depthRows, true);
        oldestAges.register(oldestRows, true);

        ClusterState cluster = reader.cluster();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
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

    /** rank_stamps are epoch milliseconds; a move may set one ahead of now (then the age is negative). */
    private static double secondsSince(long epochMillis, Instant now) {
        return (now.toEpochMilli() - epochMillis) / 1e3;
    }

    @Override
    public void close() {
        gc.close();
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        registry.close();
    }
}
