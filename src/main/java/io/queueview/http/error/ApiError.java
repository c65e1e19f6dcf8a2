package io.queueview.http.error;

import io.queueview.queue.JsonObject;
/**
 * A call that ends in one of the API's error bodies: {"error_code": code, "error_msg": message}. Thrown by
 * handlers and validation; turned into a response in one place (the HTTP server's failure handlers, ApiServer).
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    private ApiError(int status, String code, String message, Integer retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, null);
    }

    private ApiError(int status, String code, String message, Integer retryAfterSeconds, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A parameter or body fails validation; the message names it and the rule. */
    public static ApiError badRequest(String message) {
        return new ApiError(400, codeOf(400), message, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, codeOf(401), message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, codeOf(403), message, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, codeOf(404), message, null);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, codeOf(405), message, null);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, codeOf(409), message, null);
    }

    public static ApiError internal() {
        return new ApiError(500, codeOf(500), "internal error", null);
    }

    /** The instance that owns the queue could not be reached; the message names it. */
    public static ApiError ownerUnreachable(String message, Throwable cause) {
        return new ApiError(502, codeOf(502), message, 1, cause);
    }

    /** The view cannot answer now (starting, restoring, rebalancing, or owned elsewhere): retry shortly. */
    public static ApiError unavailable(String message) {
        return new ApiError(503, codeOf(503), message, 1);
    }

    /**
     * The API's error code for an HTTP status, in the family of API.md's table: octopus.4000xx for 4xx (404 is
     * octopus.400004), octopus.4001xx for 5xx (503 is octopus.400103).
     */
    public static String codeOf(int status) {
        return status >= 500 ? "octopus.4001%02d".formatted(status - 500) : "octopus.4000%02d".formatted(status - 400);
    }

    /** Any other status the server answers before a route runs (413, 414, 431, ...), with its reason. */
    public static ApiError of(int status, String message) {
        return new ApiError(status, codeOf(status), message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for the Retry-After header, or null when a retry will not help. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The API's error body, {"error_code": code, "error_msg": message}. */
    public static byte[] body(String code, String message) {
        return JsonObject.bytes(json -> {
            json.writeStringField("error_code", code);
            json.writeStringField("error_msg", message);
        });
    }
}
