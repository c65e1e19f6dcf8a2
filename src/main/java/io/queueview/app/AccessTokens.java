package io.queueview.app;

import io.queueview.config.Settings;
import io.queueview.http.Caller;
import io.queueview.http.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The tokens the service accepts: the configured tokens file, or else a demo token for every project and action —
 * QUEUEVIEW_DEMO_TOKEN, or one generated once — kept in the data folder (demo-token, and its hash in tokens.json)
 * so a restart keeps it.
 */
record AccessTokens(Tokens tokens, String demoToken) {

    static AccessTokens load(Settings settings) throws IOException {
        if (settings.tokensFile() != null) {
            return new AccessTokens(Tokens.load(settings.tokensFile()), null);
        }
        Path tokenFile = settings.dataDir().resolve("demo-token");
        Path tokensFile = settings.dataDir().resolve("tokens.json");
        String token;
        if (settings.demoToken() != null) {
            token = settings.demoToken();
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
                """.formatted(Tokens.sha256Hex(token), Caller.LIST, Caller.UPDATE), StandardCharsets.UTF_8);
        return new AccessTokens(Tokens.load(tokensFile), token);
    }
}
