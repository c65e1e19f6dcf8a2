package io.queueview.http;

/**
 * A call that ends in one of the API's error bodies: {"error_code": code, "error_msg": message}. Thrown by
 * handlers and validation; turned into a response in one place ({@link ApiServer}).
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
        return new ApiError(400, "octopus.400000", message, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "octopus.400001", message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "octopus.400003", message, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "octopus.400004", message, null);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "octopus.400005", message, null);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "octopus.400009", message, null);
    }

    public static ApiError internal() {
        return new ApiError(500, "octopus.400100", "internal error", null);
    }

    /** The instance that owns the queue could not be reached; the message names it. */
    public static ApiError ownerUnreachable(String message, Throwable cause) {
        return new ApiError(502, "octopus.400102", message, 1, cause);
    }

    /** The view cannot answer now (starting, restoring, rebalancing, or owned elsewhere): retry shortly. */
    public static ApiError unavailable(String message) {
        return new ApiError(503, "octopus.400103", message, 1);
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
}
