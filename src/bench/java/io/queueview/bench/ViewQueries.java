package io.queueview.bench;

import io.queueview.query.LocalStores;
import io.queueview.query.QueuePartition;
import io.queueview.query.QueueReader;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.QueuedEntry;
import io.queueview.store.ViewFill;
import io.queueview.time.Ticker;
import java.time.Duration;
import java.util.Iterator;

/**
 * The benchmark's query mix on the view alone, without Kafka: the data set put into one view ({@link ViewFill}), the
 * queries answered in process by the {@link QueueReader} the HTTP handlers call. For comparing view layouts side by
 * side and for sizes the full benchmark cannot ingest in its time (10 million). The command is in
 * docs/benchmarks.md.
 */
public final class ViewQueries {

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        BenchData data = new BenchData(size, 20_251_201L);
        ViewFill view = new ViewFill();
        long started = System.nanoTime();
        for (Iterator<Entry> entries = data.entries(); entries.hasNext(); ) {
            Entry entry = entries.next();
            view.put(new QueuedEntry(entry, entry.id()));
        }
        System.err.printf("put %,d entries in %,d ms%n", size, (System.nanoTime() - started) / 1_000_000);
        LocalStores stores = new LocalStores() {
            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public QueuePartition partitionOf(QueueId queue) {
                return new QueuePartition(0, view.views());
            }

            @Override
            public long lag(int partition) {
                return 0;
            }
        };
        StoreTarget target = new StoreTarget(new QueueReader(stores, Ticker.SYSTEM));
        System.out.printf("| query (%,d entries, big queue %,d) | matches | p50 µs | p99 µs |%n", size,
                data.bigQueueSize());
        System.out.printf("|---|---:|---:|---:|%n");
        for (BenchQuery query : Benchmark.mix(data)) {
            Answer answer = target.run(query);
            Latency latency = Latency.measure(target, query, calls / 5, calls, Duration.ofSeconds(6));
            System.out.printf("| %s | %,d | %.1f | %.1f |%n", query.name(), answer.total(), latency.p50Micros(),
                    latency.p99Micros());
        }
    }
}
