package io.queueview.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What runs queueview in production (systemd, Kubernetes): an instance whose process ended — queueview exits with 1
 * when its view stops for good, for its supervisor to start it again — is started again on its data and port within
 * half a second. Each restart is kept, with the last line the instance logged about why.
 */
public final class Supervisor implements AutoCloseable {

    /** One restart: which instance, and the last line of its log before it. */
    public record Restart(String instance, String why) {
    }

    private final List<ServiceInstance> instances;
    private final List<Restart> restarts = new CopyOnWriteArrayList<>();
    private final Thread watcher;
    private volatile boolean closed;

    public Supervisor(List<ServiceInstance> instances) {
        this.instances = List.copyOf(instances);
        this.watcher = new Thread(this::watch, "supervisor");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    /** Every restart so far. */
    public List<Restart> restarts() {
        return List.copyOf(restarts);
    }

    private void watch() {
        while (!closed) {
            for (ServiceInstance instance : instances) {
                if (!closed && !instance.alive()) {
                    restarts.add(new Restart(instance.name(), lastLine(instance)));
                    try {
                        instance.start();
                    } catch (IOException | IllegalStateException e) {
                        restarts.add(new Restart(instance.name(), "could not start again: " + e.getMessage()));
                    }
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String lastLine(ServiceInstance instance) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(instance.log());
            for (int i = lines.size() - 1; i >= 0; i--) {
                // Main's own word on why it exits; "stopping" is its shutdown hook's, after that word
                if (lines.get(i).startsWith("queueview: ") && !lines.get(i).equals("queueview: stopping")) {
                    return lines.get(i);
                }
            }
            return lines.isEmpty() ? "(empty log)" : lines.get(lines.size() - 1);
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops watching; the instances stay as they are. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        watcher.interrupt();
        watcher.join();
    }
}
