package io.queueview.http.peer;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.queueview.query.InstanceAddress;
import io.queueview.time.Ticker;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends a call for a queue to the instance that answers it (its owner, or a standby's copy), and the answer back
 * unchanged (status, body, Retry-After). The caller's token goes along: that instance authenticates and authorizes
 * again, so forwarding never widens access. A forwarded call carries {@link #FORWARDED_BY}, and is never forwarded
 * again. An instance that cannot be reached is noted as down for a while ({@link #reachable}), so that reads go
 * straight to a standby instead of trying it on every call.
 */
public final class Forwarding implements AutoCloseable {

    /** Marks a forwarded call, with the address of the instance that forwarded it. */
    static final String FORWARDED_BY = "X-Queueview-Forwarded-By";
    /** Marks a read forwarded to an instance holding a standby copy because the owner cannot be reached. */
    static final String STANDBY_READ = "X-Queueview-Standby-Read";
    private static final List<String> PASSED_ON = List.of("X-Auth-Token", "Authorization", "Content-Type");
    private static final int ATTEMPTS = 3;
    private static final long FIRST_PAUSE_MS = 100;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /**
     * How long a read with a standby copy to fall back on waits for the owner: a healthy owner answers a read in
     * milliseconds, so a silent one (stopped, partitioned away) is left for the copy within this, not the write's wait.
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    /** How long an instance that could not be reached is skipped by reads before it is tried again. */
    private static final long DOWN_NANOS = 2_000_000_000L;

    private final PeerClient peers;
    /** For reads that have a standby copy to fall back on: a shorter wait, its own pool. */
    private final PeerClient readsWithFallback;
    private final ForwardOutcomes metrics;
    private final Ticker time;
    /** Instances that could not be reached, with when (nanoTime): skipped by reads for a while. */
    private final Map<InstanceAddress, Long> down = new ConcurrentHashMap<>();

    /**
     * @param timeout how long an owner may take to answer: a write waits for its command to apply there
     * @param tls     TLS to the owners (every instance serves HTTPS), or null for plain HTTP
     * @param time    what the timeout, idle connections and the calls' durations are measured on
     * @param scheduler runs the watchdog that ends a call past its time and closes connections left idle
     */
    public Forwarding(Duration timeout, ForwardOutcomes metrics, SSLSocketFactory tls, Ticker time,
                      ScheduledExecutorService scheduler) {
        peers = new PeerConnections(CONNECT_TIMEOUT, timeout, tls, time, scheduler);
        readsWithFallback = new PeerConnections(CONNECT_TIMEOUT, READ_TIMEOUT.compareTo(timeout) < 0 ? READ_TIMEOUT
                : timeout, tls, time, scheduler);
        this.metrics = metrics;
        this.time = time;
    }

    public static boolean isForwarded(Context ctx) {
        return ctx.header(FORWARDED_BY) != null;
    }

    /** A read forwarded here for a standby copy to answer: its owner could not be reached by the forwarder. */
    public static boolean isStandbyRead(Context ctx) {
        return isForwarded(ctx) && "true".equals(ctx.header(STANDBY_READ));
    }

    /**
     * Sends the call to that instance and its answer back.
     *
     * @param standbyRead a read for a standby copy there to answer, the owner being unreachable
     * @param fallback    a read that a standby copy can answer if this one does not: tried once, and waited for
     *                    {@link #READ_TIMEOUT} at most
     * @throws PeerUnreachable when it cannot be reached (it is then {@link #reachable not reachable} for a while)
     */
    public void forward(InstanceAddress to, Context ctx, boolean standbyRead, boolean fallback) {
        String query = ctx.req().getQueryString(); // raw, as the caller sent it
        String target = ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
        Map<String, String> headers = headersOf(ctx);
        if (standbyRead) {
            headers.put(STANDBY_READ, "true");
        }
        boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
        PeerClient.Answer answer = exchange(to, () -> read && fallback ? once(to, ctx.method().name(), target, headers)
                : send(to, ctx.method().name(), target, headers, read ? null : ctx.bodyAsBytes(), read));
        ctx.status(answer.status());
        if (answer.contentType() != null) {
            ctx.contentType(answer.contentType());
        }
        if (answer.retryAfter() != null) {
            ctx.header("Retry-After", answer.retryAfter());
        }
        ctx.result(answer.body());
    }

    /** What goes along with a call sent on: who forwards it, and the caller's credentials and content type. */
    private static Map<String, String> headersOf(Context caller) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(FORWARDED_BY, caller.host() == null ? "unknown" : caller.host());
        for (String header : PASSED_ON) {
            String value = caller.header(header);
            if (value != null) {
                headers.put(header, value);
            }
        }
        return headers;
    }

    private interface Call {
        PeerClient.Answer send();
    }

    /** One call to another instance, counted; an instance that cannot be reached is skipped by reads for a while. */
    private PeerClient.Answer exchange(InstanceAddress to, Call call) {
        long started = time.nanoTime();
        PeerClient.Answer answer;
        try {
            answer = call.send();
        } catch (PeerUnreachable unreachable) {
            down.put(to, time.nanoTime());
            metrics.forwarded("unreachable", time.nanoTime() - started);
            throw unreachable;
        }
        down.remove(to);
        metrics.forwarded("answered", time.nanoTime() - started);
        return answer;
    }

    /**
     * A read of this instance's own asked of another as a forwarded call, passing on the caller's credentials: the
     * status and body of its answer (a watch here asking the owner where its entry stands).
     *
     * @param target   the path and query, as the other instance serves them
     * @throws PeerUnreachable when it cannot be reached (it is then {@link #reachable not reachable} for a while)
     */
    public Fetched fetch(InstanceAddress to, String target, Context caller) {
        Map<String, String> headers = headersOf(caller);
        PeerClient.Answer answer = exchange(to, () -> send(to, "GET", target, headers, null, true));
        return new Fetched(answer.status(), answer.body());
    }

    /** Another instance's answer to a read asked of it. */
    public record Fetched(int status, byte[] body) {
    }

    /** False for a while after a call to that instance could not reach it. */
    public boolean reachable(InstanceAddress instance) {
        Long since = down.get(instance);
        if (since == null) {
            return true;
        }
        if (time.nanoTime() - since > DOWN_NANOS) {
            down.remove(instance, since);
            return true;
        }
        return false;
    }

    /**
     * Sends with a bounded retry: a call that never reached the owner (no connection) is sent again, and a read
     * also after a broken connection; a write that may have reached the owner is not, since it could apply twice.
     * A call the owner did not answer in time is not sent again, a read neither: the owner is busy or hung, and
     * a server thread waits out one timeout at most.
     */
    private PeerClient.Answer send(InstanceAddress to, String method, String target,
                                        Map<String, String> headers, byte[] body, boolean read) {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return peers.send(to, method, target, headers, body);
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
        throw new PeerUnreachable(to, !read && !(last instanceof PeerClient.NotSent), last);
    }

    private PeerClient.Answer once(InstanceAddress to, String method, String target, Map<String, String> headers) {
        try {
            return readsWithFallback.send(to, method, target, headers, null);
        } catch (IOException e) {
            throw new PeerUnreachable(to, false, e);
        }
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
        readsWithFallback.close();
    }
}
