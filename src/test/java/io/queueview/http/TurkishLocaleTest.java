package io.queueview.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.testing.ProjectorDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a Turkish default locale "I".toLowerCase() is a dotless "ı": parsing and names that lower-case words must not
 * depend on the machine's locale.
 */
class TurkishLocaleTest {

    private Locale before;

    @BeforeEach
    void turkish() {
        before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    }

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    @Test
    void aContentTypeInCapitalsIsStillJson() {
        byte[] body = "{\"queue_type\":\"RESIM\",\"operation_type\":\"MOVE_TOP\"}".getBytes(StandardCharsets.UTF_8);
        assertDoesNotThrow(() -> WriteBodies.move("p", 1, "APPLICATION/JSON", body, "tester"));
    }

    @Test
    void theProjectorsMetricNamesAreAscii(@TempDir Path dataDir) {
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            assertTrue(driver.metricNames().stream().anyMatch(name -> name.startsWith("commands-applied")),
                    driver.metricNames().toString());
        }
    }
}
