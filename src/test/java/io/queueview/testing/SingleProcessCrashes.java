package io.queueview.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The default single process — queueview and its embedded broker in one JVM, as the README's run command starts it —
 * killed with SIGKILL again and again while a scheduler's events flow, and started on its data folder each time, as
 * a power cut or the OOM killer would leave it. After each restart: ready within a bound (else the failure quotes what
 * /health/ready says it waits for), then every queue listed exactly as a model of the events sent has it (nothing
 * lost, nothing applied twice). Used by CrashRestartIT and the benchmark's crash section.
 */
public final class SingleProcessCrashes {

    /** One restart: kill -9 to /health/ready 200, and the events sent until then. */
    public record Restart(int number, Duration killToReady, long eventsSent) {
    }

    /** Every crash's restart, and one clean restart (SIGTERM, start, ready) on the same data after them. */
    public record Result(List<Restart> crashes, Duration cleanRestart) {
    }

    /** Far above a restart's seconds, far below "never": a hang fails here, naming what it waits for. */
    private static final Duration READY_BOUND = Duration.ofSeconds(60);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SingleProcessCrashes() {
    }

    /** Runs the crashes in a group folder of its own under folder; each restart as it went, or an AssertionError. */
    public static Result run(Path folder, int crashes, int eventsPerSecond) throws Exception {
        int kafkaPort = FreePort.find();
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4,
                "QUEUEVIEW_KAFKA_BOOTSTRAP", "", // none: the embedded broker
                "QUEUEVIEW_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort),
                "QUEUEVIEW_DEMO", "false");
        ServiceInstance single = group.instance("single");
        List<Restart> restarts = new ArrayList<>();
        try (EventFlow flow = new EventFlow("127.0.0.1:" + kafkaPort, group.eventsTopic(), 6, eventsPerSecond)) {
            single.start().awaitReady(READY_BOUND);
            Random random = new Random(11);
            for (int crash = 1; crash <= crashes; crash++) {
                flow.resume();
                Thread.sleep(1_500 + random.nextInt(2_500));
                single.kill();
                long killed = System.nanoTime();
                single.start();
                awaitReady(single, crash);
                restarts.add(new Restart(crash, Duration.ofNanos(System.nanoTime() - killed), flow.sent()));
                flow.pause();
                assertListsAsTheModel(single, flow, crash);
            }
            single.stop();
            long stopped = System.nanoTime();
            single.start();
            awaitReady(single, crashes + 1);
            Duration cleanRestart = Duration.ofNanos(System.nanoTime() - stopped);
            assertListsAsTheModel(single, flow, crashes + 1);
            return new Result(restarts, cleanRestart);
        } finally {
            single.kill();
        }
    }

    private static void awaitReady(ServiceInstance single, int crash) {
        try {
            single.awaitReady(READY_BOUND);
        } catch (AssertionError notReady) {
            throw new AssertionError("restart " + crash + ": " + notReady.getMessage(), notReady);
        }
    }

    /** Once the view has caught up with every event sent (bounded), each queue's list equals the model's. */
    private static void assertListsAsTheModel(ServiceInstance single, EventFlow flow, int crash)
            throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        for (String project : flow.projects()) {
            List<EventFlow.Entry> expected = flow.expected(project);
            List<EventFlow.Entry> listed = listed(single, project);
            while (!expected.equals(listed) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                listed = listed(single, project);
            }
            if (!Objects.equals(expected, listed)) {
                throw new AssertionError("restart " + crash + ": queue " + project + " lists " + listed
                        + " but the events say " + expected);
            }
        }
    }

    private static List<EventFlow.Entry> listed(ServiceInstance single, String project) {
        HttpResponse<String> answer = single.get("/v1.0/" + project + "/data/queuing-jobs?queue_type=RESIM&limit=200");
        if (answer.statusCode() != 200) {
            return List.of();
        }
        try {
            return EventFlow.Entry.listedIn(JSON.readTree(answer.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
