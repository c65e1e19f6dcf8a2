package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.queueview.testing.Await;
import io.queueview.testing.EventJson;
import io.queueview.testing.ExternalTool;
import io.queueview.testing.SharedBroker;
import io.queueview.testing.TestCertificates;
import io.queueview.testing.TestSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS, on two instances of one group on the shared broker: a TLS client gets answers (TLS 1.2 or
 * 1.3), a plaintext request to the TLS port is refused without an answer, a certificate renewed on disk serves new
 * connections without a restart, and a call for a queue the other instance owns is forwarded to it over TLS. Besides
 * the JDK's client, Debian's curl and openssl s_client (installed by .ci/run) check the handshake from outside Java.
 */
class HttpsIT {

    private static final String TOKEN = "https-it-token";
    private static final int PROJECTS = 8;

    @TempDir
    static Path folder;
    private static TestCertificates certificates;
    private static Path certificate;
    private static Path key;
    private static Application first;
    private static Application second;
    private static String eventsTopic;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.createIn(folder.resolve("tls"));
        certificate = folder.resolve("tls/server-chain.pem");
        key = folder.resolve("tls/server-key.pem");
        certificates.writePem(certificates.keystore("server-1"), "server-1", certificate, key);
        List<String> group = new ArrayList<>(SharedBroker.group(SharedBroker.bootstrapServers(), 2));
        eventsTopic = group.get(group.indexOf("QUEUEVIEW_EVENTS_TOPIC") + 1);
        group.addAll(List.of(
                "QUEUEVIEW_DEMO_TOKEN", TOKEN,
                "QUEUEVIEW_HTTP_TLS_CERT", certificate.toString(),
                "QUEUEVIEW_HTTP_TLS_KEY", key.toString(),
                "QUEUEVIEW_PEER_TLS_CA", certificates.caPem().toString()));
        first = Application.start(TestSettings.in(folder.resolve("first"), group.toArray(String[]::new)));
        second = Application.start(TestSettings.in(folder.resolve("second"), group.toArray(String[]::new)));
        List<Map.Entry<byte[], byte[]>> events = new ArrayList<>();
        for (int project = 0; project < PROJECTS; project++) {
            events.add(new SimpleEntry<>(null, EventJson.enqueued("p" + project, "RESIM", 1).version(1).bytes()));
        }
        SharedBroker.produce(eventsTopic, events);
        Await.until(Duration.ofSeconds(60), "both instances are ready", () -> ready(first) && ready(second));
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aTlsClientIsAnsweredOverTls12OrNewer() throws Exception {
        HttpResponse<String> answer = get(first, "/health/live");
        assertEquals(200, answer.statusCode());
        String protocol = answer.sslSession().map(SSLSession::getProtocol).orElseThrow();
        assertTrue(protocol.equals("TLSv1.3") || protocol.equals("TLSv1.2"), protocol);
    }

    @Test
    void aPlaintextRequestToTheTlsPortGetsNoAnswerAndTheServerGoesOn() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", first.httpPort())) {
            plain.setSoTimeout(5_000);
            OutputStream out = plain.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = plain.getInputStream();
            String answered = new String(in.readNBytes(64), StandardCharsets.ISO_8859_1); // until closed (or 64 bytes)
            assertFalse(answered.startsWith("HTTP/"), "a plaintext answer: " + answered);
        }
        assertEquals(200, get(first, "/health/live").statusCode());
    }

    @Test
    void curlTrustingTheTestCaGetsTheListAndWithoutItRefusesTheCertificate() throws Exception {
        ExternalTool curl = tool("curl");
        String list = "https://127.0.0.1:" + first.httpPort() + "/v1.0/p0/data/queuing-jobs?queue_type=RESIM";
        ExternalTool.Run trusted = curl.run("-sS", "--max-time", "20", "--cacert", certificates.caPem().toString(),
                "-H", "X-Auth-Token: " + TOKEN, "-w", "\n%{http_code} %{ssl_verify_result}", list);
        assertEquals(0, trusted.exitCode(), trusted.output());
        assertTrue(trusted.output().contains("\"total\":1") && trusted.output().endsWith("\n200 0"),
                trusted.output());
        ExternalTool.Run untrusted = curl.run("-sS", "--max-time", "20", list);
        assertEquals(60, untrusted.exitCode(), "curl's 'peer certificate cannot be authenticated': "
                + untrusted.output());
        ExternalTool.Run plaintext = curl.run("-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + first.httpPort() + "/health/live");
        assertNotEquals(0, plaintext.exitCode(), "a plaintext request answered: " + plaintext.output());
        assertTrue(plaintext.output().endsWith("000"), "no HTTP status for plaintext: " + plaintext.output());
    }

    @Test
    void opensslVerifiesTheChainAgainstTheCaAndTheServerRefusesTls11() throws Exception {
        ExternalTool openssl = tool("openssl");
        String address = "127.0.0.1:" + first.httpPort();
        ExternalTool.Run handshake = openssl.run("s_client", "-connect", address, "-CAfile",
                certificates.caPem().toString(), "-verify_return_error", "-brief");
        assertEquals(0, handshake.exitCode(), handshake.output());
        assertTrue(handshake.output().contains("Verification: OK"), handshake.output());
        assertTrue(handshake.output().matches("(?s).*Protocol version: TLSv1\\.[23].*"), handshake.output());
        // the client allows TLS 1.1 (security level 0), so a refusal is the server's: a protocol version alert
        ExternalTool.Run old = openssl.run("s_client", "-connect", address, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                "-brief");
        assertNotEquals(0, old.exitCode(), old.output());
        assertTrue(old.output().contains("alert protocol version"), old.output());
    }

    @Test
    void aCertificateRenewedOnDiskServesNewConnectionsWithoutARestart() throws Exception {
        BigInteger before = servedSerial(first);
        Path renewed = certificates.keystore("server-2");
        certificates.writePem(renewed, "server-2", certificate, key);
        BigInteger expected = serial(renewed, "server-2");
        assertNotEquals(before, expected);
        Await.until(Duration.ofSeconds(20), "new connections get the renewed certificate",
                () -> expected.equals(servedSerial(first)) && expected.equals(servedSerial(second)));
    }

    @Test
    void aCallForAQueueTheOtherInstanceOwnsIsForwardedOverTls() throws Exception {
        int forwarded = 0;
        for (int project = 0; project < PROJECTS; project++) {
            HttpResponse<String> answer = get(second, "/v1.0/p" + project + "/data/queuing-jobs?queue_type=RESIM");
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"total\":1"), answer.body());
            if (answer.body().contains("\"answered_by\":\"127.0.0.1:" + first.httpPort() + "\"")) {
                forwarded++;
            }
        }
        System.out.printf("HttpsIT: %d of %d queues answered by the other instance over TLS%n", forwarded, PROJECTS);
        assertTrue(forwarded > 0, "no queue of the other instance among " + PROJECTS);
    }

    private static ExternalTool tool(String name) {
        ExternalTool tool = ExternalTool.onPath(name);
        assumeTrue(tool != null, name + " is not on the PATH (.ci/run installs it: apt-get install " + name + ")");
        return tool;
    }

    private static boolean ready(Application app) {
        try {
            return get(app, "/health/ready").statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    private static BigInteger servedSerial(Application app) {
        try {
            SSLSession session = get(app, "/health/live").sslSession().orElseThrow();
            return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
        } catch (Exception e) {
            return BigInteger.ZERO;
        }
    }

    private static BigInteger serial(Path keystore, String alias) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        return ((X509Certificate) store.getCertificate(alias)).getSerialNumber();
    }

    /** A GET over a new TLS connection (a new client each time), trusting the test CA alone. */
    private static HttpResponse<String> get(Application app, String pathAndQuery) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.truststore())) {
            trust.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusted.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trusted.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + app.httpPort() + pathAndQuery))
                .header("X-Auth-Token", TOKEN).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
