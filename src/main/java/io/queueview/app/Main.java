package io.queueview.app;

import io.queueview.config.InvalidSetting;
import io.queueview.config.Settings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Runs queueview until Ctrl-C / SIGTERM: settings from the environment, then {@link Application}. */
public final class Main {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

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

        if (!app.awaitReady(READY_TIMEOUT)) {
            System.err.println("queueview: the view did not become ready; see the log above");
        } else {
            System.out.println(readyMessage(settings, app));
        }
        stopped.await();
    }

    private static String readyMessage(Settings settings, Application app) {
        String base = "http://" + settings.advertisedHost() + ":" + app.httpPort();
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
