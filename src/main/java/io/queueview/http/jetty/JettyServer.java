package io.queueview.http.jetty;

import io.queueview.time.Ticker;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What queueview sets on Javalin's Jetty: Jetty's own answers (bad escapes, 414, 431, ...) in the API's error body,
 * and limits on slow clients — a deadline for a request head, an idle timeout for a silent connection.
 */
public final class JettyServer implements AutoCloseable {

    private final HeaderDeadline headerDeadline;
    private final Duration idleTimeout;

    /** The header deadline is kept on {@code time}, swept by {@code scheduler}; the idle timeout is Jetty's own. */
    public JettyServer(Duration headerDeadline, Duration idleTimeout, Ticker time, ScheduledExecutorService scheduler) {
        this.headerDeadline = new HeaderDeadline(headerDeadline, time, scheduler);
        this.idleTimeout = idleTimeout;
    }

    /** For Javalin's {@code config.jetty.modifyServer}: the connectors exist once the server has started. */
    public void configure(Server server) {
        server.setErrorHandler(new JsonErrorHandler());
        server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle started) {
                for (Connector connector : server.getConnectors()) {
                    connector.addEventListener(headerDeadline);
                    if (connector instanceof AbstractConnector withTimeout) {
                        withTimeout.setIdleTimeout(idleTimeout.toMillis());
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        headerDeadline.close();
    }
}
