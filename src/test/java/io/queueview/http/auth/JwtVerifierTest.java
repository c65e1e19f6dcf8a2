package io.queueview.http.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.queueview.http.error.ApiError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JWT verification: what passes, each refusal (a 401, or a 403 for a valid token without the project), and keys
 * that rotate — in a JWKS file, and at a JWKS URL served on 127.0.0.1. Tokens are minted here with Nimbus.
 */
class JwtVerifierTest {

    static final String ISSUER = "https://idp.test";
    static final String AUDIENCE = "queueview";
    static final JwtVerifier.Rules RULES = new JwtVerifier.Rules(ISSUER, AUDIENCE, "projects", "actions",
            Duration.ofSeconds(30));

    static RSAKey rsa;
    static ECKey ec;

    @TempDir
    Path dir;
    private Path jwksFile;
    private JwtVerifier jwt;

    @BeforeAll
    static void keys() throws JOSEException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @BeforeEach
    void verifier() throws IOException {
        jwksFile = writeJwks(dir.resolve("jwks.json"), rsa, ec);
        jwt = JwtVerifier.of(jwksFile.toString(), RULES);
    }

    /** Claims that pass: subject, issuer, audience, five minutes left, project "p", the list action. */
    static JWTClaimsSet.Builder good() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("alice").issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("projects", List.of("p")).claim("actions", List.of(Caller.LIST));
    }

    static JWTClaimsSet good(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = good();
        change.accept(claims);
        return claims.build();
    }

    static String signed(JWK key, JWTClaimsSet claims) {
        try {
            boolean isRsa = key instanceof RSAKey;
            JWSSigner signer = isRsa ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key);
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(isRsa ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256)
                    .keyID(key.getKeyID()).build(), claims);
            token.sign(signer);
            return token.serialize();
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    static Path writeJwks(Path file, JWK... keys) throws IOException {
        return Files.writeString(file, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    private void assertRefused(String token, int status) {
        ApiError refused = assertThrows(ApiError.class, () -> jwt.authenticate(token));
        assertEquals(status, refused.status(), refused.getMessage());
        assertEquals(status == 401 ? "octopus.400001" : "octopus.400003", refused.code());
        assertFalse(refused.getMessage().contains("alice"), "no claim is echoed: " + refused.getMessage());
    }

    @Test
    void acceptsRs256AndEs256TokensSignedByKeysOfTheSet() {
        for (JWK key : List.of(rsa, ec)) {
            String token = signed(key, good().build());
            assertTrue(JwtVerifier.looksLikeJwt(token));
            Caller caller = jwt.authenticate(token);
            assertEquals(new Caller("alice", Set.of("p"), Set.of(Caller.LIST)), caller);
            caller.require("p", Caller.LIST);
        }
    }

    @Test
    void readsProjectsAndActionsAsListsOrSpaceSeparatedWordsUnderConfiguredClaimNames() throws IOException {
        JwtVerifier scoped = JwtVerifier.of(jwksFile.toString(), new JwtVerifier.Rules(null, null, "tenants", "scope",
                Duration.ofSeconds(30)));
        Caller caller = scoped.authenticate(signed(rsa, new JWTClaimsSet.Builder().subject("svc")
                .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                .claim("tenants", "*").claim("scope", Caller.LIST + " " + Caller.UPDATE).build()));
        assertEquals(new Caller("svc", Set.of("*"), Set.of(Caller.LIST, Caller.UPDATE)), caller);
        caller.require("any-project", Caller.UPDATE);
        // one claim for both
        JwtVerifier oneClaim = JwtVerifier.of(jwksFile.toString(), new JwtVerifier.Rules(null, null, "scope", "scope",
                Duration.ofSeconds(30)));
        Caller both = oneClaim.authenticate(signed(ec, new JWTClaimsSet.Builder().subject("svc")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).claim("scope", "p " + Caller.LIST).build()));
        both.require("p", Caller.LIST);
    }

    @Test
    void refusesAnExpiredToken() {
        assertRefused(signed(rsa, good(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120))))), 401);
        // within the clock skew it still passes
        jwt.authenticate(signed(rsa, good(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(10))))));
    }

    @Test
    void refusesATokenNotYetValid() {
        assertRefused(signed(rsa, good(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(120))))), 401);
        jwt.authenticate(signed(rsa, good(c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(10))))));
    }

    @Test
    void refusesAWrongIssuer() {
        assertRefused(signed(rsa, good(c -> c.issuer("https://other.test"))), 401);
        assertRefused(signed(rsa, good(c -> c.issuer(null))), 401);
    }

    @Test
    void refusesAWrongAudience() {
        assertRefused(signed(rsa, good(c -> c.audience("someone-else"))), 401);
        assertRefused(signed(rsa, good(c -> c.audience((String) null))), 401);
        jwt.authenticate(signed(rsa, good(c -> c.audience(List.of("someone-else", AUDIENCE)))));
    }

    @Test
    void refusesAnUnknownKey() throws JOSEException {
        assertRefused(signed(new RSAKeyGenerator(2048).keyID("stranger").generate(), good().build()), 401);
        // a stranger's key under a known key id: the signature does not verify
        assertRefused(signed(new RSAKeyGenerator(2048).keyID("rsa-1").generate(), good().build()), 401);
        assertRefused(signed(new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate(), good().build()), 401);
    }

    @Test
    void refusesAlgNone() {
        String unsecured = new PlainJWT(good().build()).serialize();
        assertTrue(JwtVerifier.looksLikeJwt(unsecured), "an unsigned token still reaches the verifier, to be refused");
        assertRefused(unsecured, 401);
        // "none" with a key id and a signature from a real key pasted on
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"rsa-1\"}").toString();
        String[] real = signed(rsa, good().build()).split("\\.");
        assertRefused(header + "." + real[1] + "." + real[2], 401);
        assertRefused(header + "." + real[1] + ".", 401);
    }

    @Test
    void refusesHs256SignedWithThePublicKey() throws JOSEException, IOException {
        // the classic confusion: HMAC keyed with bytes an attacker knows — the public key in any of its forms
        List<byte[]> publicForms = List.of(rsa.toRSAPublicKey().getEncoded(),
                rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(jwksFile));
        for (byte[] secret : publicForms) {
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                    good().build());
            token.sign(new MACSigner(secret));
            assertRefused(token.serialize(), 401);
        }
    }

    @Test
    void refusesRsaAlgorithmsOtherThanRs256() throws JOSEException {
        SignedJWT ps256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(),
                good().build());
        ps256.sign(new RSASSASigner(rsa));
        assertRefused(ps256.serialize(), 401);
        SignedJWT rs512 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID("rsa-1").build(),
                good().build());
        rs512.sign(new RSASSASigner(rsa));
        assertRefused(rs512.serialize(), 401);
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"sub", "exp", "projects", "actions"})
    void refusesATokenMissingAClaim(String claim) {
        JWTClaimsSet.Builder claims = good();
        claims.claim(claim, null);
        assertRefused(signed(rsa, claims.build()), 401);
    }

    @Test
    void refusesClaimsOfTheWrongForm() {
        assertRefused(signed(rsa, good(c -> c.claim("projects", 42))), 401);
        assertRefused(signed(rsa, good(c -> c.claim("actions", List.of(Caller.LIST, 7)))), 401);
        assertRefused(signed(rsa, good(c -> c.claim("projects", java.util.Map.of("p", true)))), 401);
    }

    @Test
    void aValidTokenWithoutTheProjectOrTheActionIsA403() {
        Caller caller = jwt.authenticate(signed(ec, good().build()));
        ApiError otherProject = assertThrows(ApiError.class, () -> caller.require("q", Caller.LIST));
        assertEquals(403, otherProject.status());
        ApiError otherAction = assertThrows(ApiError.class, () -> caller.require("p", Caller.UPDATE));
        assertEquals(403, otherAction.status());
        Caller none = jwt.authenticate(signed(ec, good(c -> c.claim("projects", List.of()))));
        assertThrows(ApiError.class, () -> none.require("p", Caller.LIST));
    }

    @Test
    void refusesWhatIsNotAJwtAtAll() {
        assertRefused(null, 401);
        assertRefused("a.b.c", 401);
        assertRefused("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA", 401);
        assertFalse(JwtVerifier.looksLikeJwt("ops-token"));
        assertFalse(JwtVerifier.looksLikeJwt("a.b.c.d.e"), "an encrypted JWT is not taken");
    }

    @Test
    void aRotatedJwksFileIsReadAgainWhenATokenNamesANewKey() throws JOSEException, IOException {
        jwt.authenticate(signed(rsa, good().build()));
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        writeJwks(jwksFile, next, ec); // rsa-1 retired
        assertEquals("alice", jwt.authenticate(signed(next, good().build())).name());
        assertRefused(signed(rsa, good().build()), 401);
    }

    @Test
    void aWrongJwksFileStopsStartUp() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> JwtVerifier.of(dir.resolve("nope.json").toString(), RULES));
        assertTrue(missing.getMessage().contains("nope.json"), missing.getMessage());
        Path notJwks = Files.writeString(dir.resolve("not-jwks.json"), "{\"tokens\":[]}");
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.of(notJwks.toString(), RULES));
    }

    @Test
    void aJwksUrlIsFetchedAgainOnAnUnknownKeyNoMoreOftenThanTheFloorAllows() throws Exception {
        AtomicReference<String> served = new AtomicReference<>(new JWKSet(rsa.toPublicJWK()).toString());
        AtomicInteger fetches = new AtomicInteger();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        try {
            Duration floor = Duration.ofSeconds(2);
            JwtVerifier remote = JwtVerifier.of("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks.json", RULES,
                    floor);
            assertEquals(0, fetches.get(), "a URL is fetched when the first token needs it");
            remote.authenticate(signed(rsa, good().build()));
            remote.authenticate(signed(rsa, good().build()));
            assertEquals(1, fetches.get(), "known keys are kept");

            // rotation: the platform adds a key and signs with it; the first token that names it fetches the set
            RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            served.set(new JWKSet(List.of(rsa.toPublicJWK(), next.toPublicJWK())).toString());
            assertEquals("alice", remote.authenticate(signed(next, good().build())).name());
            assertEquals(2, fetches.get());

            // a burst of tokens naming made-up keys: refused, and fetches stay under the floor's two per interval
            RSAKey stranger = new RSAKeyGenerator(2048).generate();
            long burstStarted = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                String token = signed(new RSAKey.Builder(stranger).keyID("made-up-" + i).build(), good().build());
                ApiError refused = assertThrows(ApiError.class, () -> remote.authenticate(token));
                assertEquals(401, refused.status(), refused.getMessage());
            }
            long intervals = Duration.ofNanos(System.nanoTime() - burstStarted).toMillis() / floor.toMillis() + 2;
            assertTrue(fetches.get() <= 2 + 2 * intervals, fetches.get() + " fetches for 50 unknown keys");

            // once the floor has passed, the next rotation is picked up
            ECKey third = new ECKeyGenerator(Curve.P_256).keyID("ec-3").generate();
            served.set(new JWKSet(List.of(next.toPublicJWK(), third.toPublicJWK())).toString());
            Thread.sleep(floor.toMillis() + 200);
            assertEquals("alice", remote.authenticate(signed(third, good().build())).name());
        } finally {
            idp.stop(0);
        }
    }

    @Test
    void anUnreachableJwksIsA503ThatLogsNeitherTheTokenNorItsClaims() throws IOException {
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = closed.getAddress().getPort();
        closed.stop(0); // nothing listens there now
        JwtVerifier remote = JwtVerifier.of("http://127.0.0.1:" + port + "/jwks.json", RULES);
        String token = signed(rsa, good(c -> c.subject("secret-subject")));
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ApiError unavailable;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // the log goes to System.err
            unavailable = assertThrows(ApiError.class, () -> remote.authenticate(token));
            assertThrows(ApiError.class, () -> jwt.authenticate(token.substring(0, token.length() - 4) + "AAAA"));
        } finally {
            System.setErr(stderr);
        }
        assertEquals(503, unavailable.status(), unavailable.getMessage());
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("could not be fetched"), logged);
        assertFalse(logged.contains(token.split("\\.")[1]), "the token is never logged: " + logged);
        assertFalse(logged.contains("secret-subject"), "claims are never logged: " + logged);
        assertFalse(unavailable.getMessage().contains("secret-subject"));
    }
}
