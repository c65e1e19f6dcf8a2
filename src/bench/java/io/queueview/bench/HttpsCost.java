package io.queueview.bench;

import io.queueview.app.Application;
import io.queueview.app.EmbeddedKafka;
import io.queueview.testing.EventJson;
import io.queueview.testing.SharedBroker;
import io.queueview.testing.TestCertificates;
import io.queueview.testing.TestSettings;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What HTTPS costs, same data, same run: two instances of one group (in this JVM, on a broker of its own) serve
 * plain HTTP, then two others HTTPS, and so once more (the JVM warms up over the first round); 16 keep-alive clients
 * ask for a queue's first page on its owner, then through the other instance, which forwards each call to the
 * owner (over TLS with HTTPS). Each figure is the better of its two rounds.
 */
final class HttpsCost {

    private static final String TOKEN = "bench-https-token";
    private static final int CLIENTS = 16;
    private static final int QUEUES = 8;
    private static final int ENTRIES = 200;

    private HttpsCost() {
    }

    static Map<String, Object> measure(Path folder, Duration duration, PrintStream log) throws Exception {
        TestCertificates certificates = TestCertificates.createIn(folder.resolve("tls"));
        Path chain = folder.resolve("tls/server-chain.pem");
        Path key = folder.resolve("tls/server-key.pem");
        certificates.writePem(certificates.keystore("server"), "server", chain, key);
        SSLContext trust = trusting(certificates.truststore());
        Map<String, Object> figures = new LinkedHashMap<>();
        try (EmbeddedKafka broker = EmbeddedKafka.start(Files.createDirectories(folder.resolve("kafka")), 0)) {
            for (boolean https : List.of(false, true, false, true)) {
                String scheme = https ? "https" : "http";
                List<String> env = new ArrayList<>(SharedBroker.group(broker.bootstrapServers(), 2));
                env.addAll(List.of("QUEUEVIEW_DEMO_TOKEN", TOKEN));
                if (https) {
                    env.addAll(List.of("QUEUEVIEW_HTTP_TLS_CERT", chain.toString(), "QUEUEVIEW_HTTP_TLS_KEY",
                            key.toString(), "QUEUEVIEW_PEER_TLS_CA", certificates.caPem().toString()));
                }
                String round = scheme + "-" + System.nanoTime();
                try (Application a = Application.start(TestSettings.in(folder.resolve(round + "-a"),
                        env.toArray(String[]::new)));
                     Application b = Application.start(TestSettings.in(folder.resolve(round + "-b"),
                             env.toArray(String[]::new)))) {
                    produce(broker.bootstrapServers(), env.get(env.indexOf("QUEUEVIEW_EVENTS_TOPIC") + 1));
                    String base = scheme + "://127.0.0.1:";
                    String path = null;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (path == null && System.nanoTime() < deadline) { // a queue b forwards to a
                        for (int q = 0; q < QUEUES && path == null; q++) {
                            String list = "/v1.0/p" + q + "/data/queuing-jobs?queue_type=RESIM&limit=10";
                            String body = get(base + b.httpPort() + list, trust);
                            if (body.contains("\"total\":" + ENTRIES) && body.contains("\"answered_by\":\"127.0.0.1:"
                                    + a.httpPort() + "\"")) {
                                path = list;
                            }
                        }
                        Thread.sleep(200);
                    }
                    if (path == null) {
                        throw new IllegalStateException("no queue of instance a answered through b within 60 s");
                    }
                    log.printf("https cost: %s, %d clients, first pages of a queue with %d entries%n", scheme, CLIENTS,
                            ENTRIES);
                    HttpLoad.Result direct = HttpLoad.run(base + a.httpPort() + path, TOKEN, CLIENTS,
                            Duration.ofSeconds(2), duration, trust);
                    HttpLoad.Result forwarded = HttpLoad.run(base + b.httpPort() + path, TOKEN, CLIENTS,
                            Duration.ofSeconds(2), duration, trust);
                    figures.merge(scheme + "_direct_per_s", Math.round(direct.requestsPerSecond()), HttpsCost::more);
                    figures.merge(scheme + "_direct_p99_ms", Math.round(direct.latency().p99Micros() / 10) / 100.0,
                            HttpsCost::less);
                    figures.merge(scheme + "_forwarded_per_s", Math.round(forwarded.requestsPerSecond()),
                            HttpsCost::more);
                    figures.merge(scheme + "_forwarded_p99_ms",
                            Math.round(forwarded.latency().p99Micros() / 10) / 100.0, HttpsCost::less);
                    figures.merge(scheme + "_errors", direct.errors() + forwarded.errors(),
                            (known, added) -> (long) known + (long) added);
                }
            }
        }
        return figures;
    }

    private static Object more(Object known, Object added) {
        return ((Number) known).doubleValue() >= ((Number) added).doubleValue() ? known : added;
    }

    private static Object less(Object known, Object added) {
        return ((Number) known).doubleValue() <= ((Number) added).doubleValue() ? known : added;
    }

    private static void produce(String bootstrap, String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int q = 0; q < QUEUES; q++) {
                for (int id = 1; id <= ENTRIES; id++) {
                    producer.send(new ProducerRecord<>(topic, null, EventJson.enqueued("p" + q, "RESIM", id)
                            .with("priority", id % 7).version(1).bytes()));
                }
            }
            producer.flush();
        }
    }

    private static String get(String url, SSLContext trust) {
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
            return client.send(HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception notYet) {
            return "";
        }
    }

    private static SSLContext trusting(Path truststore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusted.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trusted.getTrustManagers(), null);
        return context;
    }
}
