package io.queueview.changes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the queue-changes topic into a {@link ChangeLog}: every partition, read_committed (a change shows once the
 * transaction that applied it to the view commits, like the view's own answers), from a little before its end so
 * that streams can resume across a restart of this instance. Every instance runs one, so any instance serves any
 * queue's change stream without forwarding. No consumer group: nothing to rebalance, nothing committed.
 */
public final class QueueChangesFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueChangesFeed.class);
    /** Changes kept per partition for streams that resume: about 2 MiB each. */
    public static final int REPLAYABLE_PER_PARTITION = 4096;
    /** Changes a stream may fall behind by before it is cut off. */
    public static final int STREAM_BUFFER = 1024;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ChangeLog log;
    /** Where each partition ended when the feed started: read up to there, it has caught up. */
    private final Map<TopicPartition, Long> startEnds;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    /** Why the feed stopped, if it did on an error. */
    private volatile RuntimeException failure;

    private QueueChangesFeed(KafkaConsumer<byte[], byte[]> consumer, ChangeLog log,
                             Map<TopicPartition, Long> startEnds) {
        this.consumer = consumer;
        this.log = log;
        this.startEnds = startEnds;
        this.thread = new Thread(this::run, "queue-changes-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Starts reading; returns once the kept changes are read (or after 30 s: then they come in behind).
     *
     * @param kafkaClient the settings every Kafka client of queueview starts from (bootstrap servers, security)
     */
    public static QueueChangesFeed start(Map<String, Object> kafkaClient, String topic) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the default fetch wait (500 ms): a fetch returns as soon as a change is committed, so a shorter one would
        // only cost polls of a quiet topic (measured: 225-245 ms produce-to-stream either way)
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "queueview-changes-feed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        ChangeLog log = new ChangeLog(partitions.size(), REPLAYABLE_PER_PARTITION, STREAM_BUFFER);
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
            long from = Math.max(beginnings.get(partition), ends.get(partition) - REPLAYABLE_PER_PARTITION);
            consumer.seek(partition, from);
            log.startAt(partition.partition(), from);
        }
        QueueChangesFeed feed = new QueueChangesFeed(consumer, log, ends);
        feed.thread.start();
        if (!feed.caughtUp.await(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("the change streams' feed has not read the latest changes within {}; it goes on", CATCH_UP);
        }
        if (feed.failure != null) { // at start it is a setting to mend (a permission), not a moment to wait out
            throw new IllegalStateException("the change streams' feed cannot read " + topic + ": "
                    + feed.failure.getMessage(), feed.failure);
        }
        return feed;
    }

    public ChangeLog log() {
        return log;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.key() != null && record.value() != null) {
                        log.append(new QueueChange(record.partition(), record.offset(),
                                Utils.utf8(record.key()), record.value()));
                    }
                }
                boolean atEnd = true;
                for (TopicPartition partition : consumer.assignment()) {
                    long position = consumer.position(partition);
                    log.readUpTo(partition.partition(), position);
                    atEnd &= position >= startEnds.getOrDefault(partition, 0L);
                }
                if (atEnd) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException stopping) {
            // close() woke it
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("the change streams' feed stopped: streams get no more changes", e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.closeAll();
    }
}
