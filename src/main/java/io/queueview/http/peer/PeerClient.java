package io.queueview.http.peer;

import io.queueview.query.InstanceAddress;
import java.io.IOException;
import java.util.Map;

/** Sends a call to another instance of queueview and reads its answer, on the calling thread. */
interface PeerClient extends AutoCloseable {

    /** An answer of the owner, as the forwarder passes it on. */
    record Answer(int status, String contentType, String retryAfter, byte[] body) {
    }

    /** No connection could be made: the owner never saw the call, so it may be sent again, a write too. */
    final class NotSent extends IOException {
        NotSent(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sends one call and reads its answer.
     *
     * @param target  the request target as the caller sent it: raw path and query
     * @param headers passed on as they are (values come from a parsed request: no line breaks)
     * @throws NotSent                          when no connection could be made: the owner never saw the call
     * @throws java.net.SocketTimeoutException when the owner did not answer in time: it may have the call
     * @throws IOException                      when the call or its answer broke on the way, or the answer is
     *                                          malformed or too large: the owner may have seen it
     */
    Answer send(InstanceAddress owner, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException;

    @Override
    void close();
}
