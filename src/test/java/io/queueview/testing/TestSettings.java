package io.queueview.testing;

import io.queueview.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for tests: defaults, a data folder of the test's own, and whatever the test overrides. */
public final class TestSettings {

    private TestSettings() {
    }

    public static Settings in(Path dataDir, String... overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("QUEUEVIEW_DATA_DIR", dataDir.toString());
        env.put("QUEUEVIEW_HTTP_PORT", "0");
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return Settings.from(env);
    }
}
