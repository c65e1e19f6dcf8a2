package io.queueview.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Counters of what one task does, registered as Kafka Streams metrics (group "queueview", tagged with the task): the
 * service's /metrics exposes them through Kafka Streams' own binder as queueview_..._total. Removed when the task
 * closes, so a task that moves away leaves no counter behind.
 */
final class TaskCounters implements AutoCloseable {

    static final String GROUP = "queueview-metrics";

    private final StreamsMetrics metrics;
    private final String task;
    private final List<Sensor> sensors = new ArrayList<>();

    TaskCounters(ProcessorContext<?, ?> context) {
        this.metrics = context.metrics();
        this.task = context.taskId().toString();
    }

    /** A counter named e.g. "events-applied" (exposed as queueview_events_applied_total). */
    Sensor counter(String name, String description) {
        return counter(name, description, Map.of());
    }

    /** A counter with tags of its own beside the task's, e.g. a reason (each value its own counter). */
    Sensor counter(String name, String description, Map<String, String> tags) {
        Map<String, String> allTags = new TreeMap<>(tags);
        allTags.put("task-id", task);
        Sensor sensor = metrics.addSensor("queueview." + name + "." + allTags, Sensor.RecordingLevel.INFO);
        if (!sensor.hasMetrics()) { // a task initialized again in the same process finds its sensor
            sensor.add(new MetricName(name + "-total", GROUP, description, allTags), new CumulativeSum());
        }
        sensors.add(sensor);
        return sensor;
    }

    @Override
    public void close() {
        sensors.forEach(metrics::removeSensor);
        sensors.clear();
    }
}
