package io.queueview.http.jetty;

import io.queueview.config.HttpTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS: its key and certificate from PEM files or a PKCS12 key store, TLS 1.2 and 1.3 only, and a
 * certificate renewed on disk taken for new connections by {@link #reloadIfChanged} (called every few seconds).
 * Thread-safe: Jetty swaps the key store under its own lock.
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final char[] IN_MEMORY_PASSWORD = "queueview".toCharArray();

    private final HttpTls settings;
    private final SslContextFactory.Server server = new SslContextFactory.Server();
    private List<FileTime> loaded;

    /** @throws IllegalStateException naming the file when the key or certificate cannot be read */
    public ServerTls(HttpTls settings) {
        this.settings = settings;
        server.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        server.setKeyStore(keyStore());
        server.setKeyStorePassword(new String(password()));
        loaded = modified();
    }

    /** An HTTPS connector on host:port (0 = any free port), as Javalin's Jetty adds connectors. */
    public BiFunction<Server, HttpConfiguration, Connector> connector(String host, int port) {
        return (jetty, http) -> connector(jetty, http, host, port);
    }

    private Connector connector(Server jetty, HttpConfiguration http, String host, int port) {
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // peers and clients may call by IP address, which no SNI names
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(server, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** What the server's TLS was made from: the peers' CA among it, for the calls forwarded to them. */
    public HttpTls settings() {
        return settings;
    }

    /** Takes a renewed key or certificate for new connections; a file that cannot be read keeps the old one. */
    public void reloadIfChanged() {
        List<FileTime> now = modified();
        if (Objects.equals(now, loaded)) {
            return;
        }
        try {
            KeyStore renewed = keyStore();
            server.reload(factory -> factory.setKeyStore(renewed));
            loaded = now;
            LOG.info("HTTPS: took the renewed certificate from {}", files());
        } catch (Exception e) {
            LOG.warn("HTTPS: could not take the renewed certificate from {}; keeping the one in use", files(), e);
        }
    }

    private KeyStore keyStore() {
        try {
            if (settings.keystore() != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(settings.keystore())) {
                    store.load(in, password());
                }
                return store;
            }
            List<Certificate> chain = new ArrayList<>();
            try (InputStream in = Files.newInputStream(settings.certificate())) {
                chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (chain.isEmpty()) {
                throw new IllegalStateException("no certificate in " + settings.certificate());
            }
            PrivateKey key = privateKey(settings.privateKey());
            requirePair(key, chain.get(0)); // a renewal caught between its two files must not be taken
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the HTTPS key and certificate from " + files() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Fails unless the key signs what the certificate's public key verifies. */
    private void requirePair(PrivateKey key, Certificate certificate) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "queueview".getBytes(StandardCharsets.US_ASCII);
        Signature signing = Signature.getInstance(algorithm);
        signing.initSign(key);
        signing.update(probe);
        Signature verifying = Signature.getInstance(algorithm);
        verifying.initVerify(certificate.getPublicKey());
        verifying.update(probe);
        if (!verifying.verify(signing.sign())) {
            throw new GeneralSecurityException("the key in " + settings.privateKey() + " is not the certificate's in "
                    + settings.certificate());
        }
    }

    /** A PKCS#8 PEM key ("BEGIN PRIVATE KEY"), RSA or EC. */
    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher pem = PEM_KEY.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new GeneralSecurityException(file + " holds no PKCS#8 key (BEGIN PRIVATE KEY); convert one with"
                    + " openssl pkcs8 -topk8 -nocrypt");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next
            }
        }
        throw new GeneralSecurityException(file + " holds neither an RSA nor an EC key");
    }

    /** The key store's password: the operator's for a PKCS12 file (none given: empty), ours for PEM files. */
    private char[] password() {
        if (settings.keystore() == null) {
            return IN_MEMORY_PASSWORD;
        }
        return settings.keystorePassword() == null ? new char[0] : settings.keystorePassword().toCharArray();
    }

    private List<Path> files() {
        return settings.keystore() != null ? List.of(settings.keystore())
                : List.of(settings.certificate(), settings.privateKey());
    }

    private List<FileTime> modified() {
        List<FileTime> times = new ArrayList<>();
        for (Path file : files()) {
            try {
                times.add(Files.getLastModifiedTime(file));
            } catch (IOException gone) {
                times.add(null); // being replaced: compared again on the next look
            }
        }
        return times;
    }
}
