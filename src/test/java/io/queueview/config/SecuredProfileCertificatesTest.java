package io.queueview.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docker/secured/make-certs.sh, the secured compose profile's one-shot certificate maker, here (with this JDK's
 * keytool, as the apache/kafka image runs it with its own) and checks what it leaves with the KeyStore API: what the
 * broker and queueview will load in the containers.
 */
class SecuredProfileCertificatesTest {

    private static final Path SCRIPT = Path.of("docker/secured/make-certs.sh");
    private static final Path SHELL = Path.of("/bin/sh");
    private static final String BROKER = "kafka-secured";
    private static final String TRUSTSTORE_PASSWORD = "test-truststore-password";
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path folder;
    private static Path certificates;

    /** One run for the class: eight keytool starts take seconds. */
    @BeforeAll
    static void makeCertificates() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(SHELL), "no " + SHELL + " to run " + SCRIPT + " with");
        certificates = folder.resolve("secrets");
        Run run = makeCerts(certificates, TRUSTSTORE_PASSWORD);
        assertEquals(0, run.exit(), () -> SCRIPT + " failed:\n" + run.output());
    }

    @Test
    void brokerCertificateIsSignedByTheTrustStoresCaForTheBrokersName() throws Exception {
        KeyStore truststore = load(certificates.resolve("truststore.p12"), TRUSTSTORE_PASSWORD);
        KeyStore keystore = load(certificates.resolve(BROKER + ".p12"), keystorePassword());

        assertEquals(List.of("ca"), Collections.list(truststore.aliases()),
                "the trust store holds the CA alone");
        assertTrue(truststore.isCertificateEntry("ca"), "the CA is a trusted certificate, not a key");
        X509Certificate broker = (X509Certificate) keystore.getCertificate(BROKER);
        X509Certificate ca = (X509Certificate) truststore.getCertificate("ca");
        broker.verify(ca.getPublicKey());
        broker.checkValidity();
        assertNotEquals(broker.getSubjectX500Principal(), broker.getIssuerX500Principal(), "not self-signed");

        // what a TLS client does with the chain the broker presents: a path to the trusted CA
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(truststore);
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                factory.generateCertPath(Arrays.asList(keystore.getCertificateChain(BROKER))), parameters);

        List<String> names = new ArrayList<>();
        for (List<?> name : broker.getSubjectAlternativeNames()) {
            if (Integer.valueOf(2).equals(name.get(0))) { // dNSName
                names.add((String) name.get(1));
            }
        }
        assertTrue(names.contains(BROKER), () -> "the certificate's DNS names " + names + " lack " + BROKER);
        assertTrue(broker.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "usable by a TLS server");
    }

    @Test
    void brokerKeyStoreHoldsTheKeyOfItsCertificate() throws Exception {
        String password = keystorePassword();
        KeyStore keystore = load(certificates.resolve(BROKER + ".p12"), password);
        assertTrue(keystore.isKeyEntry(BROKER), "the broker's entry is a key");
        PrivateKey key = (PrivateKey) keystore.getKey(BROKER, password.toCharArray());
        byte[] data = "queueview".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keystore.getCertificate(BROKER).getPublicKey());
        verifier.update(data);
        assertTrue(verifier.verify(signature), "the key store's key matches its certificate");
    }

    /** The broker's user alone reads its key; queueview, another user, reads the trust store. */
    @Test
    void keyStoreAndItsPasswordAreOwnerOnlyAndTheTrustStoreIsReadableByAll() throws IOException {
        Assumptions.assumeTrue(certificates.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "no POSIX permissions here");
        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertEquals(ownerOnly, Files.getPosixFilePermissions(certificates.resolve(BROKER + ".p12")));
        assertEquals(ownerOnly, Files.getPosixFilePermissions(certificates.resolve("keystore-password")));
        for (String shared : List.of("truststore.p12", "ca.pem")) {
            assertTrue(Files.getPosixFilePermissions(certificates.resolve(shared))
                    .contains(PosixFilePermission.OTHERS_READ), () -> shared + " is not readable by other users");
        }
    }

    /** A restart of the profile keeps the set the broker and queueview already hold. */
    @Test
    void keepsTheCertificatesItAlreadyMade() throws IOException, InterruptedException {
        byte[] before = Files.readAllBytes(certificates.resolve(BROKER + ".p12"));
        Run again = makeCerts(certificates, TRUSTSTORE_PASSWORD);
        assertEquals(0, again.exit(), again::output);
        assertTrue(again.output().contains("keeping them"), again::output);
        assertArrayEquals(before, Files.readAllBytes(certificates.resolve(BROKER + ".p12")));
    }

    @Test
    void refusesToRunWithoutATrustStorePassword() throws IOException, InterruptedException {
        Path elsewhere = folder.resolve("without-password");
        Run run = makeCerts(elsewhere, null);
        assertNotEquals(0, run.exit(), run::output);
        assertTrue(run.output().contains("TRUSTSTORE_PASSWORD"), run::output);
        assertFalse(Files.exists(elsewhere.resolve("truststore.p12")));
    }

    private static String keystorePassword() throws IOException {
        return Files.readString(certificates.resolve("keystore-password"), StandardCharsets.UTF_8);
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private record Run(int exit, String output) {
    }

    /** The script with this JDK's keytool first on the PATH; a JIT that starts fast, as keytool's runs are short. */
    private static Run makeCerts(Path into, String truststorePassword) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SHELL.toString(), SCRIPT.toString(), into.toString())
                .directory(new File(System.getProperty("user.dir")))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + environment.getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        environment.remove("TRUSTSTORE_PASSWORD");
        environment.remove("BROKER_HOST");
        if (truststorePassword != null) {
            environment.put("TRUSTSTORE_PASSWORD", truststorePassword);
        }
        Path log = Files.createTempFile(folder, "make-certs", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(SCRIPT + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
