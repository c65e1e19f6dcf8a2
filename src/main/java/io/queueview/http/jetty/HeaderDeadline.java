package io.queueview.http.jetty;

import io.queueview.time.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request head has been arriving for longer than allowed. Jetty's idle timeout restarts
 * with every byte, so a client sending its headers a byte a second would hold its connection for ever; this is the
 * header-read timeout Jetty does not have. A sweep each second looks at each connection's parser.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {

    private static final long SWEEP_MS = 1_000;
    private static final long NOT_IN_A_HEAD = Long.MIN_VALUE;

    private final long limitNanos;
    private final Ticker time;
    /** Each open HTTP connection, and since when it has been in the middle of a request head. */
    private final Map<HttpConnection, Long> connections = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeps;

    HeaderDeadline(Duration limit, Ticker time, ScheduledExecutorService scheduler) {
        limitNanos = limit.toNanos();
        this.time = time;
        sweeps = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            connections.put(http, NOT_IN_A_HEAD);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        connections.remove(connection);
    }

    private void sweep() {
        long now = time.nanoTime();
        connections.replaceAll((connection, since) -> {
            HttpParser parser = connection.getParser();
            if (parser.isStart() || !parser.inHeaderState()) {
                return NOT_IN_A_HEAD;
            }
            if (since == NOT_IN_A_HEAD) {
                return now;
            }
            if (now - since > limitNanos) {
                connection.getEndPoint().close(); // no answer: the request never arrived
            }
            return since;
        });
    }

    @Override
    public void close() {
        sweeps.cancel(false);
    }
}
