package io.queueview.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.queueview.query.OwnedElsewhere;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Sends a call for a queue owned by another instance to that owner, and its answer back unchanged (status, body,
 * Retry-After). The caller's token goes along: the owner authenticates and authorizes again, so forwarding never
 * widens access. A forwarded call carries {@link #FORWARDED_BY}, and is never forwarded again: ownership that
 * moved twice is a 503 to retry. An owner that cannot be reached is a 502 naming it.
 */
final class Forwarding {

    /** Marks a forwarded call, with the address of the instance that forwarded it. */
    static final String FORWARDED_BY = "X-Queueview-Forwarded-By";
    private static final List<String> PASSED_ON = List.of("X-Auth-Token", "Authorization", "Content-Type");
    private static final int ATTEMPTS = 3;
    private static final long FIRST_PAUSE_MS = 100;

    // one client, many keep-alive connections: the JDK pools HTTP/1.1 connections per owner
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Duration timeout;

    /** @param timeout how long an owner may take to answer: a write waits for its command to apply there */
    Forwarding(Duration timeout) {
        this.timeout = timeout;
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
        URI target = URI.create("http://" + elsewhere.owner() + ctx.path() + (query == null ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header(FORWARDED_BY, ctx.host() == null ? "unknown" : ctx.host())
                .method(ctx.method().name(), ctx.method() == HandlerType.GET
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
        for (String header : PASSED_ON) {
            String value = ctx.header(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<byte[]> answer = send(request.build(), ctx.method() == HandlerType.GET, elsewhere);
        ctx.status(answer.statusCode());
        answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        answer.headers().firstValue("Retry-After").ifPresent(value -> ctx.header("Retry-After", value));
        ctx.result(answer.body());
    }

    /**
     * Sends with a bounded retry: a call that never reached the owner (no connection) is sent again, and a read
     * also after a broken connection; a write that may have reached the owner is not, since it could apply twice.
     */
    private HttpResponse<byte[]> send(HttpRequest request, boolean read, OwnedElsewhere elsewhere) {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = e;
                boolean notSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
                if (!notSent && !read) {
                    break;
                }
                pause(FIRST_PAUSE_MS << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
}
