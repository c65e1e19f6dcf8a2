package io.queueview.config;

import java.nio.file.Path;

/**
 * HTTPS for the API, the page and the change streams, and for the calls forwarded between instances. The server's
 * key and certificate come from PEM files (certificate chain, PKCS#8 key) or a PKCS12 key store; a file renewed on
 * disk is taken without a restart.
 *
 * @param certificate      PEM certificate chain, or null when a key store is given
 * @param privateKey       PEM private key (PKCS#8), or null when a key store is given
 * @param keystore         PKCS12 key store, or null when PEM files are given
 * @param keystorePassword the key store's password (also its key's), or null
 * @param peerCa           PEM certificates that sign the other instances' certificates, for forwarded calls; null
 *                         means the JVM's default trust
 */
public record HttpTls(Path certificate, Path privateKey, Path keystore, String keystorePassword, Path peerCa) {
}
