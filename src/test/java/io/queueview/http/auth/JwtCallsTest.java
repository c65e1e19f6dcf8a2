package io.queueview.http.auth;

import static io.queueview.http.auth.JwtVerifierTest.good;
import static io.queueview.http.auth.JwtVerifierTest.signed;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.queueview.testing.ApiFixture;
import io.queueview.testing.Folders;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWTs on the real routes, beside the tokens file: the same 200, 401 and 403 answers as every other token. */
class JwtCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST = "/v1.0/p/data/queuing-jobs?queue_type=PROCESSOR";

    private Path dataDir;
    private ProjectorDriver driver;
    private ApiFixture api;
    private RSAKey key;

    @BeforeEach
    void start() throws IOException, JOSEException {
        dataDir = Files.createTempDirectory("queueview-jwt-test");
        key = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        Path jwks = JwtVerifierTest.writeJwks(dataDir.resolve("jwks.json"), key);
        driver = new ProjectorDriver(dataDir);
        driver.send(enqueued("p", "PROCESSOR", 1));
        api = new ApiFixture(driver, driver, dataDir, JwtVerifier.of(jwks.toString(), JwtVerifierTest.RULES));
    }

    @AfterEach
    void stop() throws IOException {
        api.close();
        driver.close();
        Folders.delete(dataDir);
    }

    private HttpResponse<String> get(String path, String header, String value) {
        return api.http().send("GET", path, Map.of(header, value), null);
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String token)
            throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, JSON.readTree(response.body()).get("error_code").asText());
        assertFalse(response.body().contains(token), "the token is never echoed");
        assertFalse(response.body().contains("alice"), "nor its claims: " + response.body());
    }

    @Test
    void aJwtIsTakenInXAuthTokenAndInAuthorizationBearer() throws Exception {
        String token = signed(key, good().build());
        assertEquals(200, get(LIST, "X-Auth-Token", token).statusCode());
        assertEquals(200, get(LIST, "Authorization", "Bearer " + token).statusCode());
        assertEquals(200, get(LIST, "Authorization", "bearer " + token).statusCode());
        assertError(get(LIST, "Authorization", "Basic " + token), 401, "octopus.400001", token);
    }

    @Test
    void theTokensFileKeepsWorkingBesideIt() throws Exception {
        assertEquals(200, get(LIST, "X-Auth-Token", ApiFixture.OPS).statusCode());
        assertEquals(200, get(LIST, "Authorization", "Bearer " + ApiFixture.READER).statusCode());
        assertError(get(LIST, "X-Auth-Token", "who-am-i"), 401, "octopus.400001", "who-am-i");
    }

    @Test
    void anExpiredOrForgedJwtIsA401() throws Exception {
        String expired = signed(key, good(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600)))));
        assertError(get(LIST, "X-Auth-Token", expired), 401, "octopus.400001", expired);
        String forged = signed(new RSAKeyGenerator(2048).keyID("rsa-1").generate(), good().build());
        assertError(get(LIST, "X-Auth-Token", forged), 401, "octopus.400001", forged);
    }

    @Test
    void aValidJwtWithoutTheProjectOrTheActionIsA403() throws Exception {
        String token = signed(key, good().build());
        assertError(get("/v1.0/q/data/queuing-jobs?queue_type=PROCESSOR", "X-Auth-Token", token), 403,
                "octopus.400003", token);
        HttpResponse<String> move = api.http().send("PUT", "/v1.0/p/data/queuing-jobs/1",
                Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                "{\"queue_type\":\"PROCESSOR\",\"operation_type\":\"MOVE_TOP\"}");
        assertError(move, 403, "octopus.400003", token);
        String writer = signed(key, good(c -> c.claim("actions", List.of(Caller.UPDATE))));
        assertError(get(LIST, "X-Auth-Token", writer), 403, "octopus.400003", writer);
    }
}
