package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.queueview.config.Settings;
import io.queueview.http.auth.Caller;
import io.queueview.http.auth.TokenFile;
import io.queueview.http.error.ApiError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the settings choose the tokens: JWTs beside the tokens file, and no quiet demo token beside JWTs. */
class AccessTokensTest {

    @TempDir
    Path dir;
    private ECKey key;
    private Path jwks;

    @BeforeEach
    void keys() throws JOSEException, IOException {
        key = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(key).toPublicJWKSet().toString());
    }

    private String jwt() throws JOSEException {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                new JWTClaimsSet.Builder().subject("platform-user").issuer("https://idp.test")
                        .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                        .claim("tenants", List.of("p")).claim("scope", Caller.LIST).build());
        token.sign(new ECDSASigner(key));
        return token.serialize();
    }

    private Settings settings(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("QUEUEVIEW_DATA_DIR", dir.toString(),
                "QUEUEVIEW_JWT_ISSUER", "https://idp.test", "QUEUEVIEW_JWT_PROJECTS_CLAIM", "tenants",
                "QUEUEVIEW_JWT_ACTIONS_CLAIM", "scope"));
        env.putAll(more);
        return Settings.from(env);
    }

    @Test
    void jwtsAndTheTokensFileWorkSideBySide() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens.json"), """
                {"tokens":[{"name":"ops","sha256":"%s","projects":["*"],"actions":["%s"]}]}
                """.formatted(TokenFile.sha256Hex("ops-token"), Caller.UPDATE));
        AccessTokens tokens = AccessTokens.load(settings(Map.of("QUEUEVIEW_JWKS", jwks.toString(),
                "QUEUEVIEW_TOKENS_FILE", file.toString())));
        assertNull(tokens.demoToken());
        assertEquals("ops", tokens.authenticator().authenticate("ops-token").name());
        Caller caller = tokens.authenticator().authenticate(jwt());
        assertEquals("platform-user", caller.name());
        caller.require("p", Caller.LIST);
    }

    @Test
    void withJwtsAndNoTokensFileNoDemoTokenIsMade() throws Exception {
        AccessTokens tokens = AccessTokens.load(settings(Map.of("QUEUEVIEW_JWKS", jwks.toString())));
        assertNull(tokens.demoToken());
        assertFalse(Files.exists(dir.resolve("demo-token")));
        assertEquals("platform-user", tokens.authenticator().authenticate(jwt()).name());
        assertEquals(401, assertThrows(ApiError.class, () -> tokens.authenticator().authenticate("demo-x")).status());
    }

    @Test
    void withoutJwtsTheDemoTokenIsAsBeforeAndAJwtIsJustUnknown() throws Exception {
        AccessTokens tokens = AccessTokens.load(settings(Map.of()));
        assertNotNull(tokens.demoToken());
        tokens.authenticator().authenticate(tokens.demoToken()).require("any", Caller.UPDATE);
        String jwt = jwt();
        assertEquals(401, assertThrows(ApiError.class, () -> tokens.authenticator().authenticate(jwt)).status());
    }
}
