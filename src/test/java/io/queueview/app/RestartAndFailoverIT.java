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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * queueview as separate processes on the shared broker, killed with SIGKILL: a restart on the same data folder
 * answers the same view again within 10 s (static membership: no wait for the dead member's session), and when
 * one of three instances dies for good, each of its queues answers on a survivor within 10 s (session timeout,
 * then a standby promoted and its view rebuilt).
 */
class RestartAndFailoverIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration TARGET = Duration.ofSeconds(10);

    @TempDir
    Path folder;
    private final List<ServiceInstance> instances = new ArrayList<>();

    @AfterEach
    void stopAll() {
        instances.forEach(ServiceInstance::kill);
    }

    @Test
    void aKilledInstanceRestartedOnItsDataFolderAnswersTheSameViewWithinTenSeconds() throws Exception {
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4);
        QueueAnswers queues = QueueAnswers.of(8, 20);
        ServiceInstance instance = started(group, "single");
        queues.produce(group.eventsTopic()); // after the first start, which created the topics
        Await.until(START, "every queue answers", () -> queues.answeredEverywhere(List.of(instance)));
        List<String> before = pages(queues, instance);

        instance.kill();
        long killed = System.nanoTime();
        instance.start();
        Await.until(TARGET, "every queue answers again after kill -9 and restart",
                () -> queues.answeredEverywhere(List.of(instance)));
        System.out.printf("RestartAndFailoverIT: kill -9 -> restart -> every queue answering: %.1f s%n",
                (System.nanoTime() - killed) / 1e9);
        assertEquals(before, pages(queues, instance));
        assertTrue(instance.ready());
    }

    @Test
    void whenOneOfThreeInstancesIsKilledEachOfItsQueuesAnswersOnASurvivorWithinTenSeconds() throws Exception {
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4);
        QueueAnswers queues = QueueAnswers.of(12, 20);
        ServiceInstance first = started(group, "first");
        queues.produce(group.eventsTopic());
        for (String name : List.of("second", "third")) {
            instances.add(group.instance(name).start());
        }
        for (ServiceInstance instance : instances) {
            instance.awaitReady(START);
        }
        Await.until(START, "each queue answers on all three instances",
                () -> queues.answeredEverywhere(instances));
        Thread.sleep(3_000); // the standbys catch up with their changelogs
        Await.until(START, "each queue still answers on all three instances",
                () -> queues.answeredEverywhere(instances));

        Map<String, ServiceInstance> owners = queues.owners(instances);
        ServiceInstance victim = owners.values().iterator().next();
        List<String> victimsQueues = owners.entrySet().stream()
                .filter(queue -> queue.getValue() == victim).map(Map.Entry::getKey).toList();
        List<ServiceInstance> survivors = instances.stream().filter(instance -> instance != victim).toList();
        assertTrue(first.alive());

        victim.kill();
        long killed = System.nanoTime();
        Await.until(TARGET, "each of " + victimsQueues + " answers on every survivor, from a survivor",
                () -> queues.answeredEverywhere(survivors));
        System.out.printf("RestartAndFailoverIT: 3 instances, kill -9 of the owner of %d of %d queues -> each "
                + "answering on a survivor: %.1f s%n", victimsQueues.size(), owners.size(), (System.nanoTime() - killed) / 1e9);
        for (ServiceInstance survivor : survivors) {
            assertTrue(survivor.ready(), survivor.name() + " is ready");
        }
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
