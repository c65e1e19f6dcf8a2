package io.queueview.http.jetty;

import io.queueview.http.error.ApiError;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before any route runs — a bad escape, an undecodable path or an illegal character
 * (400), a request line too long (414), headers too large (431) — in the API's error body instead of Jetty's HTML
 * page or an empty body, with no detail beyond the reason line.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Every method gets its error body (Jetty's default writes one for GET, POST and HEAD only). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** A request Jetty could not even parse (a bad header, an undecodable path): the body of its refusal. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(ApiError.body(ApiError.codeOf(status), reason(status, reason)));
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(ApiError.body(ApiError.codeOf(status), reason(status, message))), callback);
    }

    private static String reason(int status, String message) {
        return message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
    }
}
