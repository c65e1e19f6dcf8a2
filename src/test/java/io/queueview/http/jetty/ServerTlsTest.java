package io.queueview.http.jetty;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.config.HttpTls;
import io.queueview.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's key and certificate as operators hand them over: PEM files or a PKCS12 key store, checked at start. */
class ServerTlsTest {

    @TempDir
    static Path folder;
    private static TestCertificates certificates;
    private static Path keystore;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = TestCertificates.createIn(folder);
        keystore = certificates.keystore("server");
    }

    @Test
    void takesAPkcs12KeyStoreWithItsPassword() {
        assertDoesNotThrow(() -> new ServerTls(new HttpTls(null, null, keystore, TestCertificates.PASSWORD, null)));
    }

    @Test
    void takesPemFilesAndRefusesAKeyOfAnotherCertificate() throws Exception {
        Path chain = folder.resolve("chain.pem");
        Path key = folder.resolve("key.pem");
        certificates.writePem(keystore, "server", chain, key);
        assertDoesNotThrow(() -> new ServerTls(new HttpTls(chain, key, null, null, certificates.caPem())));

        Path otherChain = folder.resolve("other-chain.pem");
        Path otherKey = folder.resolve("other-key.pem");
        certificates.writePem(certificates.keystore("other"), "other", otherChain, otherKey);
        IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                () -> new ServerTls(new HttpTls(chain, otherKey, null, null, null)));
        assertTrue(mismatch.getMessage().contains("is not the certificate's"), mismatch.getMessage());
    }

    @Test
    void refusesAKeyThatIsNotPkcs8SayingHowToConvertIt() throws Exception {
        Path chain = folder.resolve("chain-2.pem");
        Path key = folder.resolve("key-2.pem");
        certificates.writePem(keystore, "server", chain, key);
        Files.writeString(key, Files.readString(key).replace("PRIVATE KEY", "RSA PRIVATE KEY"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new ServerTls(new HttpTls(chain, key, null, null, null)));
        assertTrue(refused.getMessage().contains("openssl pkcs8 -topk8"), refused.getMessage());
    }
}
