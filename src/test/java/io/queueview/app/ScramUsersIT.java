package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.queueview.testing.ExternalTool;
import io.queueview.testing.SecuredBroker;
import io.queueview.testing.TestCertificates;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.callback.NameCallback;
import javax.security.sasl.SaslException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SCRAM-SHA-512 users made both ways a KRaft cluster offers, on one {@link SecuredBroker}: at format time (the storage
 * tool's {@code --add-scram}, Kafka's {@link Formatter#setScramArguments}, 4096 iterations by default) and with the
 * admin API ({@code alterUserScramCredentials}, 8192 iterations, as SecuredBroker adds its user). The Java client
 * authenticates as either. librdkafka (through Debian's kcat) authenticates as neither before 2.6.1, whichever way the
 * user was made: since Kafka 4.0 the broker checks that the client-final-message carries exactly the nonce of its
 * server-first-message (RFC 5802), and librdkafka up to 2.6.0 sends the client nonce twice (librdkafka #4895). The
 * last test shows that check on Kafka's own SCRAM server, without a broker.
 */
class ScramUsersIT {

    /** The user the log dir is formatted with, as {@code kafka-storage.sh format --add-scram} would add it. */
    private static final String FORMAT_USER = "queueview-formatted";
    private static final String FORMAT_PASSWORD = "formatted-secret-2c9d";
    /** The first librdkafka whose SCRAM client-final-message carries the right nonce. */
    private static final int[] LIBRDKAFKA_FIXED = {2, 6, 1};

    @TempDir
    static Path folder;
    private static SecuredBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        // Formatted here as EmbeddedKafka formats it (node 1, its CONTROLLER listener, the latest production
        // metadata version), plus the SCRAM record: EmbeddedKafka then keeps this log dir (meta.properties exists).
        Path logDir = Files.createDirectories(folder.resolve("broker").resolve("kafka"));
        new Formatter()
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setScramArguments(List.of("SCRAM-SHA-512=[name=" + FORMAT_USER + ",password=" + FORMAT_PASSWORD + "]"))
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .run();
        broker = SecuredBroker.start(folder.resolve("broker"));
        assertEquals(4096, broker.admin().describeUserScramCredentials(List.of(FORMAT_USER)).description(FORMAT_USER)
                .get().credentialInfos().get(0).iterations(), "the format-time user's iterations");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {FORMAT_USER, SecuredBroker.SCRAM_USER})
    void theJavaClientAuthenticatesAsAUserMadeEitherWay(String user) throws Exception {
        try (Admin admin = Admin.create(javaScramClient(user, password(user)))) {
            assertFalse(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty());
        }
        try (Admin admin = Admin.create(javaScramClient(user, "wrong-password"))) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
    }

    @Test
    void librdkafkaAuthenticatesWithScramOnlyFrom261() throws Exception {
        ExternalTool kcat = ExternalTool.onPath("kcat");
        assumeTrue(kcat != null, "kcat is not on the PATH (.ci/run installs it: apt-get install kcat)");
        String versionLine = kcat.run("-V").output();
        Matcher version = Pattern.compile("librdkafka (\\d+)\\.(\\d+)\\.(\\d+)").matcher(versionLine);
        assertTrue(version.find(), "no librdkafka version in kcat -V: " + versionLine);
        int[] found = {Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)),
                Integer.parseInt(version.group(3))};
        boolean fixed = java.util.Arrays.compare(found, LIBRDKAFKA_FIXED) >= 0;

        // The same TLS and listener with SASL/PLAIN: librdkafka and the test CA get along.
        ExternalTool.Run plain = metadata(kcat, "PLAIN", SecuredBroker.PLAIN_USER, SecuredBroker.PLAIN_PASSWORD);
        assertEquals(0, plain.exitCode(), plain.output());

        for (String user : List.of(FORMAT_USER, SecuredBroker.SCRAM_USER)) {
            ExternalTool.Run scram = metadata(kcat, "SCRAM-SHA-512", user, password(user));
            System.out.printf("ScramUsersIT: librdkafka %s.%s.%s, SCRAM-SHA-512 user %s: exit %d%n%s%n",
                    version.group(1), version.group(2), version.group(3), user, scram.exitCode(), scram.output());
            if (fixed) {
                assertEquals(0, scram.exitCode(), scram.output());
            } else {
                assertTrue(scram.exitCode() != 0 && scram.output().contains(
                        "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                                + "SCRAM-SHA-512"), scram.output());
            }
        }
    }

    /**
     * Kafka's SCRAM server with one credential, fed the client-final-message a client builds: with the nonce of the
     * server-first-message (RFC 5802, Kafka's Java client) it authenticates; with the client nonce put before it once
     * more (librdkafka before 2.6.1) it refuses, whatever the proof, which the broker reports as invalid credentials.
     */
    @Test
    void kafkasScramServerRefusesTheClientNonceSentTwice() throws Exception {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_512;
        ScramFormatter formatter = new ScramFormatter(mechanism);
        ScramCredential credential = formatter.generateCredential("secret", 4096);
        for (boolean nonceTwice : new boolean[] {false, true}) {
            ScramSaslServer server = new ScramSaslServer(mechanism, Map.of(), callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof ScramCredentialCallback scram) {
                        scram.scramCredential(credential);
                    } else if (!(callback instanceof NameCallback)) {
                        throw new IllegalStateException("unexpected callback " + callback);
                    }
                }
            });
            String clientNonce = formatter.secureRandomString();
            ClientFirstMessage clientFirst = new ClientFirstMessage("user", clientNonce, Map.of());
            ServerFirstMessage serverFirst = new ServerFirstMessage(server.evaluateResponse(clientFirst.toBytes()));
            String nonce = nonceTwice ? clientNonce + serverFirst.nonce() : serverFirst.nonce();
            ClientFinalMessage clientFinal = new ClientFinalMessage("n,,".getBytes(StandardCharsets.UTF_8), nonce);
            byte[] saltedPassword = formatter.saltedPassword("secret", serverFirst.salt(), serverFirst.iterations());
            clientFinal.proof(formatter.clientProof(saltedPassword, clientFirst, serverFirst, clientFinal));
            if (nonceTwice) {
                SaslException refused = assertThrows(SaslException.class,
                        () -> server.evaluateResponse(clientFinal.toBytes()));
                assertEquals("Invalid client nonce in the final client message.", refused.getMessage());
            } else {
                server.evaluateResponse(clientFinal.toBytes());
                assertTrue(server.isComplete());
            }
        }
    }

    private static String password(String user) {
        return user.equals(FORMAT_USER) ? FORMAT_PASSWORD : SecuredBroker.SCRAM_PASSWORD;
    }

    private static Map<String, Object> javaScramClient(String user, String password) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.saslSslBootstrap(),
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.location", broker.certificates().truststore().toString(),
                "ssl.truststore.password", TestCertificates.PASSWORD);
    }

    /** kcat -L (metadata) over the SASL_SSL listener; a refused login ends it within its 5 s metadata timeout. */
    private static ExternalTool.Run metadata(ExternalTool kcat, String mechanism, String user, String password)
            throws Exception {
        return kcat.run("-b", broker.saslSslBootstrap(), "-m", "5", "-L",
                "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=" + mechanism,
                "-X", "sasl.username=" + user, "-X", "sasl.password=" + password,
                "-X", "ssl.ca.location=" + broker.certificates().caPem());
    }
}
