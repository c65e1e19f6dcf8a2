package io.queueview.app;

import io.queueview.config.InvalidSetting;
import io.queueview.config.Settings;
import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.query.QueueUnavailable;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs queueview until Ctrl-C / SIGTERM: settings from the environment, then {@link Application}. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private static final Duration DEMO_WAIT = Duration.ofSeconds(30);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Settings settings;
        try {
            settings = Settings.fromEnvironment();
        } catch (InvalidSetting e) {
            System.err.println("queueview: " + e.getMessage());
            System.exit(2);
            return;
        }
        Application app;
        try {
            app = Application.start(settings);
        } catch (Exception e) {
            LOG.error("could not start", e); // with its cause chain: the message alone rarely says why
            System.err.println("queueview: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("queueview: stopping");
            app.close();
            stopped.countDown();
        }, "queueview-shutdown"));

        if (!app.awaitReady(settings.startTimeout())) {
            // Under a supervisor a fresh start is the better chance; a process that waits on without a word is not.
            String why = app.stopped().map(failure -> "the view stopped: " + failure)
                    .orElseGet(() -> "not ready within " + settings.startTimeout() + " (QUEUEVIEW_START_TIMEOUT): "
                            + app.waitingFor());
            LOG.error("could not start: {}", why);
            System.err.println("queueview: could not start: " + why);
            System.exit(1);
        } else {
            if (settings.demo()) {
                awaitDemoData(app);
            }
            System.out.println(readyMessage(settings, app));
        }
        // A view that stops for good (a stream thread failed: a permission revoked, say) would answer 503 forever;
        // a supervisor's restart is the better chance, and the line says why.
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            Optional<String> failure = app.stopped();
            if (failure.isPresent()) {
                LOG.error("the view stopped: {}", failure.get());
                System.err.println("queueview: the view stopped: " + failure.get());
                System.exit(1);
            }
        }
    }

    /** Ready means the view can answer; the curl line printed next should also show the demo data. */
    private static void awaitDemoData(Application app) throws InterruptedException {
        ListQuery demo = new ListQuery(new QueueId(DemoData.PROJECTS.get(0), QueueType.PROCESSOR), Filters.NONE, 1, 0);
        long deadline = System.nanoTime() + DEMO_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (app.reader().list(demo).total() > 0) {
                    return;
                }
            } catch (QueueUnavailable e) {
                // a rebalance right after start: look again
            }
            Thread.sleep(100);
        }
    }

    private static String readyMessage(Settings settings, Application app) {
        String base = (settings.http().tls() == null ? "http://" : "https://") + settings.http().advertisedHost() + ":"
                + app.httpPort();
        StringBuilder message = new StringBuilder("queueview: ready on " + base + " (Kafka " + app.bootstrapServers() + ")");
        if (app.demoToken() != null) {
            message.append("\nqueueview: demo token in ").append(settings.dataDir().resolve("demo-token"))
                    .append("; try:\n  curl -s -H 'X-Auth-Token: ").append(app.demoToken()).append("' '")
                    .append(base).append("/v1.0/").append(DemoData.PROJECTS.get(0))
                    .append("/data/queuing-jobs?queue_type=PROCESSOR&limit=3'");
        }
        return message.toString();
    }
}
