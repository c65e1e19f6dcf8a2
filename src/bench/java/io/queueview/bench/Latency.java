package io.queueview.bench;

import java.time.Duration;
import java.util.Arrays;

/** Latencies of many calls, in microseconds. */
record Latency(int calls, double p50Micros, double p99Micros) {

    static Latency of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latency(sorted.length, sorted[sorted.length / 2] / 1e3,
                sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e3);
    }

    /**
     * Times one query against one target after a warm-up, on the same code path for every target: the given
     * number of calls, or fewer (at least 50) when they would take longer than the budget.
     */
    static Latency measure(QueryTarget target, BenchQuery query, int warmups, int calls, Duration budget)
            throws Exception {
        long warmupEnd = System.nanoTime() + budget.toNanos() / 4;
        for (int i = 0; i < warmups && System.nanoTime() < warmupEnd; i++) {
            target.run(query);
        }
        long[] nanos = new long[calls];
        long end = System.nanoTime() + budget.toNanos();
        int made = 0;
        while (made < calls && (made < 50 || System.nanoTime() < end)) {
            long started = System.nanoTime();
            target.run(query);
            nanos[made++] = System.nanoTime() - started;
        }
        return of(Arrays.copyOf(nanos, made));
    }
}
