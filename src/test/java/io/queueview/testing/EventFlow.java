package io.queueview.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A scheduler sending a steady flow of events (enqueues, priority updates, dequeues; versioned, keyed by entry) for
 * a few RESIM queues, and a model of what those queues then hold, kept apart from queueview's code: each queue's
 * entries in serving order (priority descending, then rank_stamp, then id). The producer is idempotent and retries
 * without end, so the flow goes on through a broker that is killed and comes back, and every event it sent is
 * written once; {@link #pause} returns once every event sent so far is acknowledged, so the model is then what the
 * view must show. One thread sends; the model is read only while paused.
 */
public final class EventFlow implements AutoCloseable {

    /** An entry as the list call shows it, in the model. */
    public record Entry(long id, int priority, long rankStamp) {

        /** The entries of a list answer's page, in its order. */
        public static List<Entry> listedIn(JsonNode answer) {
            List<Entry> entries = new ArrayList<>();
            for (JsonNode entry : answer.at("/payload/list")) {
                entries.add(new Entry(entry.get("id").asLong(), entry.get("priority").asInt(),
                        entry.get("rank_stamp").asLong()));
            }
            return entries;
        }
    }

    private static final int MOST_PER_QUEUE = 150;

    private final List<String> projects;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final int perSecond;
    private final Map<String, Map<Long, Entry>> queues = new HashMap<>();
    private final Map<Long, Long> versions = new HashMap<>();
    private final Random random = new Random(23);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long nextId = 1;
    private long nextRankStamp = 1_000_000;
    private volatile boolean paused = true;
    private volatile boolean closed;
    private final Thread sender;

    /** Starts paused; {@link #resume} lets events flow at about perSecond. */
    public EventFlow(String bootstrapServers, String topic, int queueCount, int perSecond) {
        this.topic = topic;
        this.perSecond = perSecond;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < queueCount; i++) {
            names.add("crash-" + i);
            queues.put("crash-" + i, new HashMap<>());
        }
        this.projects = List.copyOf(names);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200), new ByteArraySerializer(), new ByteArraySerializer());
        this.sender = new Thread(this::run, "event-flow");
        this.sender.start();
    }

    public List<String> projects() {
        return projects;
    }

    public long sent() {
        return sent.get();
    }

    public void resume() {
        paused = false;
    }

    /** Stops sending and waits until every event sent is acknowledged; fails if one could not be written. */
    public void pause() {
        paused = true;
        synchronized (this) { // the sender holds the lock while it sends one tick's events
            producer.flush();
        }
        if (failure.get() != null) {
            throw new AssertionError("an event could not be written", failure.get());
        }
    }

    /** The queue's entries in serving order, as the model has them (read while paused). */
    public synchronized List<Entry> expected(String project) {
        return queues.get(project).values().stream()
                .sorted(Comparator.comparingInt(Entry::priority).reversed()
                        .thenComparingLong(Entry::rankStamp).thenComparingLong(Entry::id))
                .toList();
    }

    private void run() {
        double owed = 0;
        long last = System.nanoTime();
        while (!closed) {
            long tick = System.nanoTime();
            // what the time since the last tick owes, so that a slow send (a busy machine, a broker failing over)
            // keeps the rate instead of lowering it; at most a second's worth, so a long block ends in no flood
            owed = paused ? 0 : Math.min(perSecond, owed + perSecond * (tick - last) / 1e9);
            last = tick;
            if (owed >= 1) {
                synchronized (this) {
                    for (; owed >= 1; owed--) {
                        send(nextEvent());
                    }
                }
            }
            long sleepMs = 50 - (System.nanoTime() - tick) / 1_000_000;
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The next event, applied to the model as it is chosen (sent events are all written: see the class doc). */
    private EventJson nextEvent() {
        String project = projects.get(random.nextInt(projects.size()));
        Map<Long, Entry> queue = queues.get(project);
        int roll = random.nextInt(10);
        if (queue.isEmpty() || (queue.size() < MOST_PER_QUEUE && roll < 5)) {
            Entry entry = new Entry(nextId++, random.nextInt(11) - 5, nextRankStamp++);
            queue.put(entry.id(), entry);
            return EventJson.enqueued(project, "RESIM", entry.id()).with("priority", entry.priority())
                    .with("rank_stamp", entry.rankStamp()).version(version(entry.id()));
        }
        Entry entry = queue.values().stream().skip(random.nextInt(queue.size())).findFirst().orElseThrow();
        if (roll < 8) {
            Entry updated = new Entry(entry.id(), random.nextInt(11) - 5, entry.rankStamp());
            queue.put(entry.id(), updated);
            return EventJson.updated(project, "RESIM", entry.id()).with("priority", updated.priority())
                    .version(version(entry.id()));
        }
        queue.remove(entry.id());
        return EventJson.dequeued(project, "RESIM", entry.id()).with("reason", "DISPATCHED").version(version(entry.id()));
    }

    private long version(long id) {
        return versions.merge(id, 1L, Long::sum);
    }

    private void send(EventJson event) {
        byte[] key = Long.toString(event.id()).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, event.bytes()), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
        sent.incrementAndGet();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        sender.join();
        producer.close();
    }
}
