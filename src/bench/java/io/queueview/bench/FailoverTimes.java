package io.queueview.bench;

import io.queueview.testing.EventJson;
import io.queueview.testing.QueueAnswers;
import io.queueview.testing.ServiceInstance;
import io.queueview.testing.SharedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Restart and failover times of queueview processes on one broker, per group protocol: kill -9 and restart of one
 * instance (time until every queue answers its whole page again), a clean stop and restart, and with three
 * instances the kill -9 of one for good (time until each of its queues answers on a survivor), optionally while
 * events keep arriving for other queues ("load": the killed instance then dies with a transaction open).
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.queueview.bench.FailoverTimes \
 *     classic|streams CRASHES [load|-] [QUEUEVIEW_X,value,...]</pre>
 */
public final class FailoverTimes {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    private FailoverTimes() {
    }

    public static void main(String[] args) throws Exception {
        String protocol = args.length > 0 ? args[0] : "classic";
        int crashes = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean load = args.length > 2 && args[2].equals("load");
        String[] extra = args.length > 3 ? args[3].split(",") : new String[0];
        List<String> overrides = new ArrayList<>(List.of("QUEUEVIEW_GROUP_PROTOCOL", protocol));
        overrides.addAll(List.of(extra));
        Path folder = Files.createTempDirectory("queueview-failover");
        ServiceInstance.Group group = ServiceInstance.Group.create(folder, 4, overrides.toArray(String[]::new));
        QueueAnswers queues = QueueAnswers.of(12, 50);
        System.out.println("protocol " + protocol + " " + List.of(extra));

        ServiceInstance a = group.instance("a").start();
        System.out.printf("first start: ready %.1f s%n", a.awaitReady(LIMIT).toMillis() / 1e3);
        queues.produce(group.eventsTopic()); // the first instance created the topics
        System.out.printf("first start: answering after %.1f s more%n", seconds(() -> queues.answeredEverywhere(List.of(a))));
        for (int crash = 1; crash <= crashes; crash++) {
            a.kill();
            long killed = System.nanoTime();
            a.start();
            double answering = seconds(killed, () -> queues.answeredEverywhere(List.of(a)));
            System.out.printf("kill -9 %d -> restarted -> every queue answering: %.1f s%n", crash, answering);
        }
        for (int stop = 1; stop <= 2; stop++) {
            long stopping = System.nanoTime();
            a.stop();
            double stopped = (System.nanoTime() - stopping) / 1e9;
            long started = System.nanoTime();
            a.start();
            double answering = seconds(started, () -> queues.answeredEverywhere(List.of(a)));
            System.out.printf("clean stop %d (%.1f s) -> start -> every queue answering: %.1f s%n", stop, stopped, answering);
        }

        ServiceInstance b = group.instance("b").start();
        ServiceInstance c = group.instance("c").start();
        List<ServiceInstance> all = List.of(a, b, c);
        seconds(() -> b.ready() && c.ready() && queues.answeredEverywhere(all));
        Thread.sleep(5_000); // standbys catch up
        seconds(() -> queues.answeredEverywhere(all));
        Map<String, ServiceInstance> before = queues.owners(all);
        ServiceInstance victim = before.values().stream().filter(i -> i != a).findFirst().orElse(b);
        long owned = before.values().stream().filter(owner -> owner == victim).count();
        List<ServiceInstance> survivors = all.stream().filter(i -> i != victim).toList();
        Thread traffic = load ? steadyEvents(group.eventsTopic()) : null;
        Thread.sleep(load ? 3_000 : 0);
        victim.kill();
        long killed = System.nanoTime();
        double failover = seconds(killed, () -> queues.answeredEverywhere(survivors));
        System.out.printf("3 instances%s, kill -9 of %s (owner of %d of %d queues) -> each answering on a survivor: %.1f s%n",
                load ? " under a steady stream of events" : "", victim.name(), owned, before.size(), failover);
        if (traffic != null) {
            traffic.interrupt();
        }
        for (ServiceInstance instance : all) {
            instance.stop();
        }
        System.exit(0);
    }

    /**
     * Events for other queues, every partition, 20 batches a second: so that a transaction of the killed instance
     * is open when it dies, as in production.
     */
    private static Thread steadyEvents(String eventsTopic) {
        Thread traffic = new Thread(() -> {
            long id = 0;
            while (!Thread.currentThread().isInterrupted()) {
                List<Map.Entry<byte[], byte[]>> batch = new ArrayList<>();
                for (int project = 0; project < 16; project++) {
                    String name = "load-" + project;
                    batch.add(Map.entry(name.getBytes(), EventJson.enqueued(name, "PROCESSOR", ++id).bytes()));
                }
                SharedBroker.produce(eventsTopic, batch);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "steady-events");
        traffic.setDaemon(true);
        traffic.start();
        return traffic;
    }

    private static double seconds(BooleanSupplier condition) throws InterruptedException {
        return seconds(System.nanoTime(), condition);
    }

    private static double seconds(long from, BooleanSupplier condition) throws InterruptedException {
        return ScaleOut.seconds(from, condition);
    }
}
