package io.queueview.topology;

import io.queueview.event.ContractViolation;
import io.queueview.event.EventParser;
import io.queueview.event.QueueEvent;
import io.queueview.store.QueueKeys;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first step of every event: parse and check it against the contract. A valid event goes on keyed by its
 * queue; a record that breaks the contract goes on unchanged, marked for the dead-letter topic with headers
 * naming the reason and where it came from.
 */
final class EventIntake implements Processor<byte[], byte[], byte[], EventIntake.Outcome> {

    static final String REASON = "queueview.dlq.reason";
    static final String SOURCE_TOPIC = "queueview.dlq.source.topic";
    static final String SOURCE_PARTITION = "queueview.dlq.source.partition";
    static final String SOURCE_OFFSET = "queueview.dlq.source.offset";

    /** Either a valid event or the original value of a rejected record. */
    record Outcome(QueueEvent event, byte[] rejectedValue) {
        boolean rejected() {
            return event == null;
        }
    }

    private ProcessorContext<byte[], Outcome> context;
    private TaskCounters counters;
    private final Map<ContractViolation.Kind, Sensor> deadLettered = new EnumMap<>(ContractViolation.Kind.class);

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        counters = new TaskCounters(context);
        for (ContractViolation.Kind kind : ContractViolation.Kind.values()) {
            deadLettered.put(kind, counters.counter("events-dead-lettered", "records sent to the dead-letter topic",
                    Map.of("reason", kind.name().toLowerCase(Locale.ROOT))));
        }
    }

    @Override
    public void close() {
        counters.close();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            QueueEvent event = EventParser.parse(record.value());
            context.forward(record.withKey(QueueKeys.queue(event.queue())).withValue(new Outcome(event, null)));
        } catch (ContractViolation violation) {
            Headers headers = record.headers();
            header(headers, REASON, violation.getMessage());
            context.recordMetadata().ifPresent(source -> describeSource(headers, source));
            context.forward(record.withValue(new Outcome(null, record.value())));
            deadLettered.get(violation.kind()).record();
        }
    }

    private static void describeSource(Headers headers, RecordMetadata source) {
        header(headers, SOURCE_TOPIC, source.topic());
        header(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        header(headers, SOURCE_OFFSET, Long.toString(source.offset()));
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
