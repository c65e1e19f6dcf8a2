package io.queueview.http.peer;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.queueview.http.error.ApiError;
import io.queueview.query.OwnedElsewhere;
import io.queueview.time.Ticker;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a call for a queue owned by another instance to that owner, and its answer back unchanged (status, body,
 * Retry-After). The caller's token goes along: the owner authenticates and authorizes again, so forwarding never
 * widens access. A forwarded call carries {@link #FORWARDED_BY}, and is never forwarded again: ownership that
 * moved twice is a 503 to retry. An owner that cannot be reached is a 502 naming it.
 */
public final class Forwarding implements AutoCloseable {

    /** Marks a forwarded call, with the address of the instance that forwarded it. */
    static final String FORWARDED_BY = "X-Queueview-Forwarded-By";
    private static final List<String> PASSED_ON = List.of("X-Auth-Token", "Authorization", "Content-Type");
    private static final int ATTEMPTS = 3;
    private static final long FIRST_PAUSE_MS = 100;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final PeerClient peers;
    private final ForwardOutcomes metrics;
    private final Ticker time;

    /**
     * @param timeout how long an owner may take to answer: a write waits for its command to apply there
     * @param tls     TLS to the owners (every instance serves HTTPS), or null for plain HTTP
     * @param time    what the timeout, idle connections and the calls' durations are measured on
     * @param scheduler runs the watchdog that ends a call past its time and closes connections left idle
     */
    public Forwarding(Duration timeout, ForwardOutcomes metrics, SSLSocketFactory tls, Ticker time,
                      ScheduledExecutorService scheduler) {
        peers = new PeerConnections(CONNECT_TIMEOUT, timeout, tls, time, scheduler);
        this.metrics = metrics;
        this.time = time;
    }

    public static boolean isForwarded(Context ctx) {
        return ctx.header(FORWARDED_BY) != null;
    }

    public void forward(OwnedElsewhere elsewhere, Context ctx) {
        if (isForwarded(ctx)) {
            metrics.forwarded("refused_loop", 0);
            throw ApiError.unavailable(elsewhere.getMessage() + ", but " + ctx.header(FORWARDED_BY)
                    + " forwarded this call here as its owner: ownership is moving; retry shortly");
        }
        String query = ctx.req().getQueryString(); // raw, as the caller sent it
        String target = ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(FORWARDED_BY, ctx.host() == null ? "unknown" : ctx.host());
        for (String header : PASSED_ON) {
            String value = ctx.header(header);
            if (value != null) {
                headers.put(header, value);
            }
        }
        boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
        long started = time.nanoTime();
        PeerClient.Answer answer;
        try {
            answer = send(elsewhere, ctx.method().name(), target, headers, read ? null : ctx.bodyAsBytes(), read);
        } catch (ApiError unreachable) {
            metrics.forwarded("unreachable", time.nanoTime() - started);
            throw unreachable;
        }
        metrics.forwarded("answered", time.nanoTime() - started);
        ctx.status(answer.status());
        if (answer.contentType() != null) {
            ctx.contentType(answer.contentType());
        }
        if (answer.retryAfter() != null) {
            ctx.header("Retry-After", answer.retryAfter());
        }
        ctx.result(answer.body());
    }

    /**
     * Sends with a bounded retry: a call that never reached the owner (no connection) is sent again, and a read
     * also after a broken connection; a write that may have reached the owner is not, since it could apply twice.
     * A call the owner did not answer in time is not sent again, a read neither: the owner is busy or hung, and
     * a server thread waits out one timeout at most.
     */
    private PeerClient.Answer send(OwnedElsewhere elsewhere, String method, String target,
                                        Map<String, String> headers, byte[] body, boolean read) {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return peers.send(elsewhere.owner(), method, target, headers, body);
            } catch (IOException e) {
                last = e;
                if (e instanceof SocketTimeoutException || !read && !(e instanceof PeerClient.NotSent)) {
                    break;
                }
                if (attempt == ATTEMPTS || !pause(FIRST_PAUSE_MS << (attempt - 1))) {
                    break;
                }
            }
        }
        throw ApiError.ownerUnreachable("the instance that owns this queue, " + elsewhere.owner()
                + ", cannot be reached" + (read || last instanceof PeerClient.NotSent ? ""
                        : "; a write sent to it may or may not have applied")
                + "; retry shortly", last);
    }

    /** False when interrupted. */
    private static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        peers.close();
    }
}
