package io.queueview.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for tests: any method with an optional token, bodies as strings. Every answer of queueview is
 * checked against its HTTP contract ({@link ApiContract}) before the test sees it.
 */
public final class HttpClientForTests {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final boolean queueview;

    /** A client of queueview on this port: every answer is checked against its contract. */
    public HttpClientForTests(int port) {
        this(port, true);
    }

    private HttpClientForTests(int port, boolean queueview) {
        this.base = "http://127.0.0.1:" + port;
        this.queueview = queueview;
    }

    /** A client of another server (Prometheus's API, say), whose answers queueview's contract does not cover. */
    public static HttpClientForTests ofOtherServer(int port) {
        return new HttpClientForTests(port, false);
    }

    public HttpResponse<String> get(String pathAndQuery, String token) {
        return send("GET", pathAndQuery, token, null, null);
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String token, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("X-Auth-Token", token);
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return send(method, pathAndQuery, headers, body);
    }

    /** Any call with these request headers (Authorization: Bearer, say). */
    public HttpResponse<String> send(String method, String pathAndQuery, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("HTTP " + method + " " + pathAndQuery + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (queueview) {
            ApiContract.get().check(new ApiContract.Call(method, pathAndQuery, body),
                    new ApiContract.Answer(response.statusCode(), response.headers()::firstValue, response.body()));
        }
        return response;
    }
}
