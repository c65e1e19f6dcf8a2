package io.queueview.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.queueview.query.OwnedElsewhere;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Sends a call for a queue owned by another instance to that owner, and its answer back unchanged (status, body,
 * Retry-After). The caller's token goes along: the owner authenticates and authorizes again, so forwarding never
 * widens access. A forwarded call carries {@link #FORWARDED_BY}, and is never forwarded again: ownership that
 * moved twice is a 503 to retry. An owner that cannot be reached is a 502 naming it.
 */
final class Forwarding implements AutoCloseable {

    /** Marks a forwarded call, with the address of the instance that forwarded it. */
    static final String FORWARDED_BY = "X-Queueview-Forwarded-By";
    private static final List<String> PASSED_ON = List.of("X-Auth-Token", "Authorization", "Content-Type");
    private static final int ATTEMPTS = 3;
    private static final long FIRST_PAUSE_MS = 100;
    private static final long CONNECT_TIMEOUT_MS = 1_000;
    /** Keep-alive connections per owner: as many as calls forwarded there at once, within reason. */
    private static final int CONNECTIONS_PER_OWNER = 256;

    private final HttpClient client = new HttpClient();
    private final long timeoutMs;

    /** @param timeoutMs how long an owner may take to answer: a write waits for its command to apply there */
    Forwarding(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        client.setConnectTimeout(CONNECT_TIMEOUT_MS);
        client.setMaxConnectionsPerDestination(CONNECTIONS_PER_OWNER);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear(); // the body goes back as the owner sent it
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the forwarding HTTP client", e);
        }
    }

    static boolean isForwarded(Context ctx) {
        return ctx.header(FORWARDED_BY) != null;
    }

    void forward(OwnedElsewhere elsewhere, Context ctx) {
        if (isForwarded(ctx)) {
            throw ApiError.unavailable(elsewhere.getMessage() + ", but " + ctx.header(FORWARDED_BY)
                    + " forwarded this call here as its owner: ownership is moving; retry shortly");
        }
        String query = ctx.queryString();
        String target = "http://" + elsewhere.owner() + ctx.path() + (query == null ? "" : "?" + query);
        String forwardedBy = ctx.host() == null ? "unknown" : ctx.host();
        boolean read = ctx.method() == HandlerType.GET;
        byte[] body = read ? null : ctx.bodyAsBytes();
        ContentResponse answer = send(() -> {
            Request request = client.newRequest(target).method(ctx.method().name())
                    .timeout(timeoutMs, TimeUnit.MILLISECONDS);
            request.headers(headers -> {
                headers.put(FORWARDED_BY, forwardedBy);
                for (String header : PASSED_ON) {
                    String value = ctx.header(header);
                    if (value != null) {
                        headers.put(header, value);
                    }
                }
            });
            return body == null ? request : request.body(new BytesRequestContent(body));
        }, read, elsewhere);
        ctx.status(answer.getStatus());
        String contentType = answer.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (contentType != null) {
            ctx.contentType(contentType);
        }
        String retryAfter = answer.getHeaders().get(HttpHeader.RETRY_AFTER);
        if (retryAfter != null) {
            ctx.header("Retry-After", retryAfter);
        }
        ctx.result(answer.getContent());
    }

    /**
     * Sends with a bounded retry: a call that never reached the owner (no connection) is sent again, and a read
     * also after a broken connection; a write that may have reached the owner is not, since it could apply twice.
     */
    private ContentResponse send(Supplier<Request> request, boolean read, OwnedElsewhere elsewhere) {
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return request.get().send();
            } catch (ExecutionException | TimeoutException e) {
                last = e;
                boolean notSent = e.getCause() instanceof ConnectException;
                if (!notSent && !read) {
                    break;
                }
                pause(FIRST_PAUSE_MS << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = e;
                break;
            }
        }
        throw ApiError.ownerUnreachable("the instance that owns this queue, " + elsewhere.owner()
                + ", cannot be reached" + (read ? "" : "; a write sent to it may or may not have applied")
                + "; retry shortly", last);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the forwarding HTTP client", e);
        }
    }
}
