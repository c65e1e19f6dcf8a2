package io.queueview.testing;

import io.javalin.Javalin;
import io.queueview.changes.ChangeLog;
import io.queueview.http.ApiServer;
import io.queueview.http.HttpMetrics;
import io.queueview.http.auth.Authenticator;
import io.queueview.http.auth.Caller;
import io.queueview.http.auth.JwtVerifier;
import io.queueview.http.auth.TokenFile;
import io.queueview.http.sse.StreamLimits;
import io.queueview.query.LocalStores;
import io.queueview.query.QueueReader;
import io.queueview.write.QueueWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The HTTP server on a free port over any {@link LocalStores} and {@link QueueWriter} (usually a
 * {@link ProjectorDriver}), with time that moves only when a test advances it ({@link #time()}) and these tokens:
 * {@link #OPS} (every project, every action), {@link #READER} (project "p", list only), {@link #WRITER} (project "p",
 * update only).
 */
public final class ApiFixture implements AutoCloseable {

    public static final String OPS = "ops-token";
    public static final String READER = "reader-token";
    public static final String WRITER = "writer-token";
    public static final Instant NOW = Instant.parse("2022-01-01T08:08:29Z");

    /** Change streams: 3 per instance, 2 per token, so that tests can reach both caps. */
    public static final StreamLimits STREAM_LIMITS = new StreamLimits(3, 2);

    private final ChangeLog changes = new ChangeLog(4, 100, 16);
    private final ManualTime time = new ManualTime(NOW);
    private final Javalin server;
    private final HttpClientForTests client;

    public ApiFixture(ProjectorDriver driver, Path dataDir) {
        this(driver, driver, dataDir);
    }

    public ApiFixture(LocalStores stores, QueueWriter writer, Path dataDir) {
        this(stores, writer, dataDir, null);
    }

    /** With JWTs verified by {@code jwt} beside the tokens above (null = no JWTs). */
    public ApiFixture(LocalStores stores, QueueWriter writer, Path dataDir, JwtVerifier jwt) {
        this(stores, writer, dataDir, jwt, HttpMetrics.NONE, false);
    }

    /** With these metrics behind GET /metrics, which answers only calls with a token when told so. */
    public ApiFixture(LocalStores stores, QueueWriter writer, Path dataDir, JwtVerifier jwt, HttpMetrics metrics,
                      boolean metricsNeedToken) {
        server = ApiServer.start("127.0.0.1", 0, new ApiServer.Parts(
                Authenticator.either(TokenFile.load(tokensFile(dataDir)), jwt), new QueueReader(stores, time), writer,
                time, time.scheduler(), Duration.ofSeconds(10), metrics, metricsNeedToken, () -> changes,
                STREAM_LIMITS, null, 1_000));
        client = new HttpClientForTests(server.port());
    }

    /** The server's time: it stands at {@link #NOW} until a test advances it. */
    public ManualTime time() {
        return time;
    }

    /** The change log this server's change streams follow; tests append changes to it by hand. */
    public ChangeLog changes() {
        return changes;
    }

    public HttpClientForTests http() {
        return client;
    }

    public int port() {
        return server.port();
    }

    private static Path tokensFile(Path dataDir) {
        String grants = String.join(",",
                grant("ops", OPS, List.of("*"), List.of(Caller.LIST, Caller.UPDATE)),
                grant("reader", READER, List.of("p"), List.of(Caller.LIST)),
                grant("writer", WRITER, List.of("p"), List.of(Caller.UPDATE)));
        try {
            return Files.writeString(dataDir.resolve("test-tokens.json"), "{\"tokens\":[" + grants + "]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String grant(String name, String token, List<String> projects, List<String> actions) {
        return "{\"name\":\"%s\",\"sha256\":\"%s\",\"projects\":[%s],\"actions\":[%s]}".formatted(name,
                TokenFile.sha256Hex(token), quoted(projects), quoted(actions));
    }

    private static String quoted(List<String> words) {
        return String.join(",", words.stream().map(word -> "\"" + word + "\"").toList());
    }

    @Override
    public void close() {
        changes.closeAll(); // as the service does: open change streams end, so the server stops at once
        server.stop();
    }
}
