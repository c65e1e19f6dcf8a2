package io.queueview.bench;

import java.util.Arrays;

/** Latencies of many calls, in microseconds. */
record Latency(int calls, double p50Micros, double p99Micros) {

    static Latency of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latency(sorted.length, sorted[sorted.length / 2] / 1e3,
                sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e3);
    }

    /** Times one query against one target after a warm-up, on the same code path for every target. */
    static Latency measure(QueryTarget target, BenchQuery query, int warmups, int calls) throws Exception {
        for (int i = 0; i < warmups; i++) {
            target.run(query);
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            target.run(query);
            nanos[i] = System.nanoTime() - started;
        }
        return of(nanos);
    }
}
