package io.queueview.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Concurrent HTTP clients each sending one request after another for a while: requests/s and latency. */
final class HttpLoad {

    record Result(int clients, double requestsPerSecond, Latency latency, long errors) {
    }

    private HttpLoad() {
    }

    static Result run(String url, String token, int clients, Duration warmup, Duration duration) throws Exception {
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token).GET().build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            load(pool, client, request, clients, warmup);
            long started = System.nanoTime();
            List<long[]> perClient = load(pool, client, request, clients, duration);
            double seconds = (System.nanoTime() - started) / 1e9;
            int total = perClient.stream().mapToInt(nanos -> nanos.length - 1).sum();
            long errors = perClient.stream().mapToLong(nanos -> nanos[nanos.length - 1]).sum();
            long[] all = new long[total];
            int at = 0;
            for (long[] nanos : perClient) {
                System.arraycopy(nanos, 0, all, at, nanos.length - 1);
                at += nanos.length - 1;
            }
            return new Result(clients, total / seconds, Latency.of(all), errors);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Per client: the latency of each request, then (last element) how many were not 200. */
    private static List<long[]> load(ExecutorService pool, HttpClient client, HttpRequest request, int clients,
                                     Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                long[] nanos = new long[1024];
                int count = 0;
                long errors = 0;
                while (System.nanoTime() < end) {
                    long started = System.nanoTime();
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (count == nanos.length) {
                        nanos = java.util.Arrays.copyOf(nanos, count * 2);
                    }
                    nanos[count++] = System.nanoTime() - started;
                    if (response.statusCode() != 200) {
                        errors++;
                    }
                }
                long[] result = java.util.Arrays.copyOf(nanos, count + 1);
                result[count] = errors;
                return result;
            }));
        }
        List<long[]> results = new ArrayList<>();
        for (Future<long[]> future : running) {
            results.add(future.get());
        }
        return results;
    }
}
