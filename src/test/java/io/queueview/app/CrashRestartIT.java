package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.queueview.testing.SingleProcessCrashes;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default single process killed with SIGKILL 5 times while events flow ({@link SingleProcessCrashes}): every
 * restart is ready, and then lists every queue as the events say. The benchmark's crash section runs 20;
 * {@code -Dqueueview.crashes=N} here.
 */
class CrashRestartIT {

    private static final int CRASHES = Integer.getInteger("queueview.crashes", 5);

    @Test
    void everyRestartAfterKillNineIsReadyAndListsEveryQueueAsTheEventsSay(@TempDir Path folder) throws Exception {
        List<SingleProcessCrashes.Restart> restarts = SingleProcessCrashes.run(folder, CRASHES, 300).crashes();
        assertEquals(CRASHES, restarts.size());
        System.out.printf("CrashRestartIT: %d kill -9 restarts, %d events; kill -> ready (s): %s%n", CRASHES,
                restarts.get(restarts.size() - 1).eventsSent(), restarts.stream()
                        .map(r -> String.format(Locale.ROOT, "%.1f", r.killToReady().toMillis() / 1000.0)).toList());
    }
}
