package io.queueview.app;

import io.queueview.config.Settings;
import io.queueview.http.auth.Authenticator;
import io.queueview.http.auth.Caller;
import io.queueview.http.auth.JwtVerifier;
import io.queueview.http.auth.TokenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The tokens the service accepts: JWTs verified against QUEUEVIEW_JWKS when it is set, beside the configured tokens
 * file, or else a demo token for every project and action — QUEUEVIEW_DEMO_TOKEN, or one generated once — kept in
 * the data folder (demo-token, and its hash in tokens.json) so a restart keeps it. With JWTs configured and neither
 * a tokens file nor a demo token, no demo token is generated: a service that takes a platform's tokens must not
 * also quietly accept one with every right.
 */
record AccessTokens(Authenticator authenticator, String demoToken) {

    static AccessTokens load(Settings settings) throws IOException {
        JwtVerifier jwt = settings.auth().jwks() == null ? null : JwtVerifier.of(settings.auth().jwks(), new JwtVerifier.Rules(
                settings.auth().jwtIssuer(), settings.auth().jwtAudience(), settings.auth().jwtProjectsClaim(), settings.auth().jwtActionsClaim(),
                settings.auth().jwtClockSkew()));
        if (settings.auth().tokensFile() != null) {
            return new AccessTokens(Authenticator.either(TokenFile.load(settings.auth().tokensFile()), jwt), null);
        }
        if (jwt != null && settings.auth().demoToken() == null) {
            return new AccessTokens(Authenticator.either(TokenFile.none(), jwt), null);
        }
        Path tokenFile = settings.dataDir().resolve("demo-token");
        Path tokensFile = settings.dataDir().resolve("tokens.json");
        String token;
        if (settings.auth().demoToken() != null) {
            token = settings.auth().demoToken();
            Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
        } else if (Files.exists(tokenFile)) {
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        } else {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            token = "demo-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(tokensFile, """
                {"tokens":[{"name":"demo","sha256":"%s","projects":["*"],"actions":["%s","%s"]}]}
                """.formatted(TokenFile.sha256Hex(token), Caller.LIST, Caller.UPDATE), StandardCharsets.UTF_8);
        return new AccessTokens(Authenticator.either(TokenFile.load(tokensFile), jwt), token);
    }
}
