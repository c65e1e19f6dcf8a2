package io.queueview.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and certificates it signs, made with the JDK's own keytool: PKCS12 key stores (each holding its key, its
 * certificate and the CA's) and a trust store with the CA alone, all with one password. Certificates are valid for
 * 127.0.0.1 and localhost.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-store-password";

    private final Path folder;

    private TestCertificates(Path folder) {
        this.folder = folder;
    }

    /** A new CA in the folder. */
    public static TestCertificates createIn(Path folder) throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(Files.createDirectories(folder));
        certificates.keytool("-genkeypair", "-alias", "ca", "-keystore", "ca.p12", "-dname", "CN=queueview-test-ca",
                "-ext", "bc:c", "-validity", "3");
        certificates.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        certificates.keytool("-importcert", "-alias", "ca", "-keystore", "truststore.p12", "-file", "ca.pem",
                "-noprompt");
        return certificates;
    }

    public Path truststore() {
        return folder.resolve("truststore.p12");
    }

    /** The CA's certificate, PEM. */
    public Path caPem() {
        return folder.resolve("ca.pem");
    }

    /**
     * A key store named after the common name, with a certificate the CA signed (valid from now for 2 days); made
     * once, the same store after.
     */
    public Path keystore(String commonName) throws IOException, InterruptedException {
        Path made = folder.resolve(commonName + ".p12");
        return Files.exists(made) ? made : keystore(commonName, null, 2);
    }

    /**
     * A key store for the common name, its certificate valid from startDate (keytool's form, e.g. "-3d"; null: now)
     * for the given days: an expired one is made with a start in the past and a short validity.
     */
    public Path keystore(String commonName, String startDate, int validDays) throws IOException, InterruptedException {
        String store = commonName + ".p12";
        keytool("-genkeypair", "-alias", commonName, "-keystore", store, "-dname", "CN=" + commonName,
                "-validity", Integer.toString(validDays));
        keytool("-certreq", "-alias", commonName, "-keystore", store, "-file", commonName + ".csr");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12",
                "-infile", commonName + ".csr", "-outfile", commonName + ".pem", "-rfc",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", Integer.toString(validDays)));
        if (startDate != null) {
            sign.addAll(List.of("-startdate", startDate));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-alias", "ca", "-keystore", store, "-file", "ca.pem", "-noprompt");
        keytool("-importcert", "-alias", commonName, "-keystore", store, "-file", commonName + ".pem");
        return folder.resolve(store);
    }

    /**
     * The key store's certificate chain and key as PEM files (the chain, then a PKCS#8 key), written to the given
     * paths through a temporary file each, as a certificate renewal on disk would replace them.
     */
    public void writePem(Path keystore, String alias, Path certificate, Path key) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        StringBuilder chain = new StringBuilder();
        for (Certificate link : store.getCertificateChain(alias)) {
            chain.append(pem("CERTIFICATE", link.getEncoded()));
        }
        replace(certificate, chain.toString());
        replace(key, pem("PRIVATE KEY", store.getKey(alias, PASSWORD.toCharArray()).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content, StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (List.of(arguments).contains("-genkeypair")) {
            command.addAll(List.of("-keyalg", "RSA", "-keysize", "2048", "-keypass", PASSWORD));
        }
        Process keytool = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
