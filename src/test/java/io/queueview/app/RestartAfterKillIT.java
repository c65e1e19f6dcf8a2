package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.testing.Await;
import io.queueview.testing.QueueAnswers;
import io.queueview.testing.ServiceInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * queueview as its own process on the shared broker, killed with SIGKILL and started again on the same data
 * folder: it answers the same view again in seconds (static membership: no wait for the dead member's session).
 * The failover to other instances is in {@link ScaleOutIT}.
 */
class RestartAfterKillIT {

    private static final Duration START = Duration.ofSeconds(60);
    /** The target is 10 s (the benchmark's scale-out section measures it); this bound keeps a loaded CI from flaking. */
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path folder;
    private final List<ServiceInstance> instances = new ArrayList<>();

    @AfterEach
    void stopAll() {
        instances.forEach(ServiceInstance::kill);
    }

    @Test
    void aKilledInstanceRestartedOnItsDataFolderAnswersTheSameViewInSeconds() throws Exception {
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4);
        QueueAnswers queues = QueueAnswers.of(8, 20);
        ServiceInstance instance = started(group, "single");
        queues.produce(group.eventsTopic()); // after the first start, which created the topics
        Await.until(START, "every queue answers", () -> queues.answeredEverywhere(List.of(instance)));
        List<String> before = pages(queues, instance);

        instance.kill();
        long killed = System.nanoTime();
        instance.start();
        Await.until(BOUND, "every queue answers again after kill -9 and restart",
                () -> queues.answeredEverywhere(List.of(instance)));
        System.out.printf("RestartAfterKillIT: kill -9 -> restart -> every queue answering: %.1f s%n",
                (System.nanoTime() - killed) / 1e9);
        assertEquals(before, pages(queues, instance));
        assertTrue(instance.ready());
    }

    private ServiceInstance started(ServiceInstance.Group group, String name) throws Exception {
        ServiceInstance instance = group.instance(name).start();
        instances.add(instance);
        instance.awaitReady(START);
        return instance;
    }

    private static List<String> pages(QueueAnswers queues, ServiceInstance instance) {
        return queues.projects().stream().map(project -> queues.page(instance, project).orElseThrow()).toList();
    }
}
