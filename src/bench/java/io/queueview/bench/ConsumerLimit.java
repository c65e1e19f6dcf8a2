package io.queueview.bench;

import io.queueview.event.ContractViolation;
import io.queueview.event.EventParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The limit of what any consumer on this machine can take: a plain KafkaConsumer reading the events topic
 * from the beginning, taking only the bytes, or also parsing each value (with queueview's own parser).
 */
final class ConsumerLimit {

    private ConsumerLimit() {
    }

    /** Events per second to read all records of the topic. */
    static double eventsPerSecond(String bootstrap, String topic, long records, boolean parse) throws ContractViolation {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long started = System.nanoTime();
            long read = 0;
            long bytes = 0;
            while (read < records) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (parse) {
                        EventParser.parse(record.value());
                    }
                    bytes += record.value().length;
                    read++;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (bytes == 0) {
                throw new IllegalStateException("read nothing");
            }
            return read / seconds;
        }
    }
}
