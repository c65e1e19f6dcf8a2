package io.queueview.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;

/**
 * Concurrent HTTP clients, each on its own keep-alive connection sending one request after another for a while:
 * requests/s and latency. A bare HTTP/1.1 client (request bytes out, status line, headers and Content-Length
 * body in) so that the clients, which share the machine's two cores with the server, cost as little as they can.
 */
final class HttpLoad {

    record Result(int clients, double requestsPerSecond, Latency latency, long errors) {
    }

    private HttpLoad() {
    }

    static Result run(String url, String token, int clients, Duration warmup, Duration duration) throws Exception {
        return run(url, token, clients, warmup, duration, null);
    }

    /** The same; an https URL is called over TLS with this context (its trust), one handshake per client. */
    static Result run(String url, String token, int clients, Duration warmup, Duration duration, SSLContext tls)
            throws Exception {
        URI uri = URI.create(url);
        SocketFactory sockets = "https".equals(uri.getScheme()) ? tls.getSocketFactory() : SocketFactory.getDefault();
        byte[] request = ("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: " + uri.getHost()
                + ":" + uri.getPort() + "\r\nX-Auth-Token: " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            load(pool, sockets, uri, request, clients, warmup);
            long started = System.nanoTime();
            List<long[]> perClient = load(pool, sockets, uri, request, clients, duration);
            double seconds = (System.nanoTime() - started) / 1e9;
            long errors = perClient.stream().mapToLong(nanos -> nanos[nanos.length - 1]).sum();
            long[] all = perClient.stream().flatMapToLong(nanos -> Arrays.stream(nanos, 0, nanos.length - 1)).toArray();
            return new Result(clients, all.length / seconds, Latency.of(all), errors);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Per client: the latency of each request, then (last element) how many were not 200. */
    private static List<long[]> load(ExecutorService pool, SocketFactory sockets, URI uri, byte[] request, int clients,
                                     Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        List<Future<long[]>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                long[] nanos = new long[1024];
                int count = 0;
                long errors = 0;
                try (Socket socket = sockets.createSocket(uri.getHost(), uri.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    while (System.nanoTime() < end) {
                        long started = System.nanoTime();
                        out.write(request);
                        out.flush();
                        int status = readResponse(in);
                        if (count == nanos.length) {
                            nanos = Arrays.copyOf(nanos, count * 2);
                        }
                        nanos[count++] = System.nanoTime() - started;
                        if (status != 200) {
                            errors++;
                        }
                    }
                }
                long[] result = Arrays.copyOf(nanos, count + 1);
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

    /** Reads one response; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("the benchmark's client needs Content-Length; got none after " + statusLine);
        }
        in.skipNBytes(length); // throws on a short body
        return status;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
