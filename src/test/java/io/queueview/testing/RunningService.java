package io.queueview.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.app.Application;
import io.queueview.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * queueview started for each test on the {@link SharedBroker} with topics and a folder of its own, ready to answer;
 * closed and its folder gone after the test. Use with
 * {@code @RegisterExtension final RunningService service = new RunningService();}.
 */
public final class RunningService implements BeforeEachCallback, AfterEachCallback {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final String[] overrides;
    private Path dataDir;
    private Settings settings;
    private Application app;
    private HttpClientForTests http;

    /** @param overrides QUEUEVIEW_* settings and their values, in pairs */
    public RunningService(String... overrides) {
        this.overrides = overrides;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("queueview-it");
        settings = SharedBroker.settings(dataDir, overrides);
        app = Application.start(settings);
        assertTrue(app.awaitReady(READY_WITHIN), "ready within " + READY_WITHIN);
        http = new HttpClientForTests(app.httpPort());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (app != null) {
            app.close();
        }
        Folders.delete(dataDir);
    }

    public Application app() {
        return app;
    }

    public Settings settings() {
        return settings;
    }

    /** A client of its HTTP port. */
    public HttpClientForTests http() {
        return http;
    }

    /** Its data folder, where a test may keep files of its own. */
    public Path dataDir() {
        return dataDir;
    }

    /** The demo token the service generated. */
    public String token() {
        return app.demoToken();
    }

    /** Writes events to its events topic, as the scheduler would (no key: the topology keys them by queue). */
    public void produce(EventJson... events) {
        produce(List.of(events));
    }

    public void produce(List<EventJson> events) {
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (EventJson event : events) {
            records.add(new SimpleEntry<>(null, event.bytes()));
        }
        SharedBroker.produce(settings.topics().events(), records);
    }
}
