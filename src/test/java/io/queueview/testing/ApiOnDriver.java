package io.queueview.testing;

import io.queueview.changes.ChangeLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For HTTP tests: before each test, the whole topology in a {@link ProjectorDriver} and the HTTP server over it
 * ({@link ApiFixture}), in a folder of their own; after it, both stopped and the folder gone.
 * Use with {@code @RegisterExtension final ApiOnDriver api = new ApiOnDriver();}.
 */
public final class ApiOnDriver implements BeforeEachCallback, AfterEachCallback {

    private Path dataDir;
    private ProjectorDriver driver;
    private ApiFixture api;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("queueview-http-test");
        driver = new ProjectorDriver(dataDir);
        api = new ApiFixture(driver, dataDir);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        api.close();
        driver.close();
        Folders.delete(dataDir);
    }

    public ProjectorDriver driver() {
        return driver;
    }

    /** The server's time, which only the test moves. */
    public ManualTime time() {
        return api.time();
    }

    /** The change log behind GET .../changes; tests append to it by hand. */
    public ChangeLog changes() {
        return api.changes();
    }

    public HttpClientForTests http() {
        return api.http();
    }

    public int port() {
        return api.port();
    }

    /** A folder of this test's own, for other fixtures. */
    public Path dataDir() {
        return dataDir;
    }
}
