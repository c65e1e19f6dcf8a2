package io.queueview.http.sse;

import io.queueview.http.auth.TokenFile;
import io.queueview.http.error.ApiError;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams of this instance, change streams and watches together: each holds a server thread, hence the
 * caps per instance and per token ({@link StreamLimits}). A stream takes a slot before it answers and gives it back
 * when it ends.
 */
public final class StreamSlots {

    private final StreamLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    /** Open streams by the hash of their token; a token with none has no entry. */
    private final Map<String, Integer> openByToken = new ConcurrentHashMap<>();

    public StreamSlots(StreamLimits limits) {
        this.limits = limits;
    }

    public int open() {
        return open.get();
    }

    /**
     * A slot for one stream, to close when it ends.
     *
     * @throws ApiError 503 to retry when the instance or the token holds as many streams as it may
     */
    Slot take(String token) {
        String tokenKey = TokenFile.sha256Hex(token == null ? "" : token); // the token itself is kept nowhere
        int all = open.incrementAndGet();
        int ofToken = openByToken.merge(tokenKey, 1, Integer::sum);
        Slot slot = () -> {
            open.decrementAndGet();
            openByToken.computeIfPresent(tokenKey, (key, count) -> count == 1 ? null : count - 1);
        };
        if (all > limits.perInstance()) {
            slot.close();
            throw ApiError.unavailable("this instance serves " + limits.perInstance()
                    + " streams already; retry shortly or through another instance");
        }
        if (ofToken > limits.perToken()) {
            slot.close();
            throw ApiError.unavailable("this token has " + limits.perToken() + " streams open here "
                    + "already; close one first");
        }
        return slot;
    }

    /** One stream's place among the open ones. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
