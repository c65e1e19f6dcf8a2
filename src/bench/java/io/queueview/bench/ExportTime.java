package io.queueview.bench;

import static io.queueview.testing.EventJson.enqueued;

import io.queueview.testing.ApiFixture;
import io.queueview.testing.EventJson;
import io.queueview.testing.Folders;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * How long the list call's export of a big queue takes, first byte to last, over HTTP on loopback: one queue of
 * `size` entries (of 5 priorities, 3 clusters, two output types) projected by the real topology in a test driver,
 * the server on it, and each export read to its end `runs` times (the first run warms the JVM and is left out).
 * The command is in docs/benchmarks.md.
 */
public final class ExportTime {

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path dataDir = Files.createTempDirectory("queueview-export-bench");
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            long filling = System.nanoTime();
            Random random = new Random(22);
            for (int id = 1; id <= size; id++) {
                EventJson event = enqueued("p", "PROCESSOR", id).with("priority", random.nextInt(5) - 2)
                        .with("rank_stamp", 1_764_000_000_000L + random.nextInt(86_400_000))
                        .with("data_id", "DPK" + random.nextInt(100_000))
                        .with("processor_name", "proc-" + random.nextInt(20))
                        .with("output_type", random.nextBoolean() ? "DATA_MARK" : "DATA_SET")
                        .with("resource_spec", "4Core_16GiB").with("workspace_id", "ws-" + random.nextInt(10))
                        .with("cluster_type", "MODELARTS").with("cluster_id", "ma-pool-" + random.nextInt(3));
                driver.send(event);
            }
            System.err.printf("%,d entries projected in %,d ms%n", size, (System.nanoTime() - filling) / 1_000_000);
            try (ApiFixture api = new ApiFixture(driver, dataDir)) {
                String base = "http://127.0.0.1:" + api.port() + "/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR";
                System.out.printf("| export of a %,d-entry queue | entries | MiB | p50 (ms) | max (ms) |%n", size);
                System.out.printf("|---|---:|---:|---:|---:|%n");
                measure("CSV, whole queue", base + "&format=csv", runs);
                measure("NDJSON, whole queue", base + "&format=ndjson", runs);
                measure("CSV, one cluster (a third)", base + "&format=csv&cluster_type=MODELARTS&cluster_id=ma-pool-1",
                        runs);
            }
        } finally {
            Folders.delete(dataDir);
        }
    }

    private static void measure(String what, String url, int runs) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long[] millis = new long[runs - 1];
        long bytes = 0;
        long lines = 0;
        for (int run = 0; run < runs; run++) {
            long started = System.nanoTime();
            HttpResponse<InputStream> answer = client.send(HttpRequest.newBuilder(URI.create(url))
                    .header("X-Auth-Token", ApiFixture.READER).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(what + ": " + answer.statusCode());
            }
            bytes = 0;
            lines = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream body = answer.body()) {
                for (int read; (read = body.read(buffer)) > 0; ) {
                    bytes += read;
                    for (int i = 0; i < read; i++) {
                        lines += buffer[i] == '\n' ? 1 : 0;
                    }
                }
            }
            if (run > 0) {
                millis[run - 1] = (System.nanoTime() - started) / 1_000_000;
            }
        }
        Arrays.sort(millis);
        long entries = url.contains("format=csv") ? lines - 1 : lines;
        System.out.printf("| %s | %,d | %.1f | %,d | %,d |%n", what, entries, bytes / 1048576.0,
                millis[millis.length / 2], millis[millis.length - 1]);
    }
}
