package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.testing.ServiceInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that is not ready within QUEUEVIEW_START_TIMEOUT gives up: exit code 1 and a line saying what it waited for. */
class StartTimeoutIT {

    @Test
    void aStartNotReadyInTimeExitsWithOneNamingWhatItWaitedFor(@TempDir Path folder) throws Exception {
        // 1 ms: no view is ready that soon, so this start must give up the way a stuck one would
        ServiceInstance instance = ServiceInstance.Group.create(folder, 2, "QUEUEVIEW_START_TIMEOUT", "PT0.001S")
                .instance("impatient").start();
        try {
            Optional<Integer> exit = instance.exitCode(Duration.ofSeconds(90));
            assertEquals(Optional.of(1), exit, "exit code; see " + instance.log());
            String log = Files.readString(instance.log());
            assertTrue(log.contains("queueview: could not start: not ready within PT0.001S (QUEUEVIEW_START_TIMEOUT): Kafka Streams is "), log);
        } finally {
            instance.kill();
        }
    }
}
