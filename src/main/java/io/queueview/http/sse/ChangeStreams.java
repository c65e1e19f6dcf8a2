package io.queueview.http.sse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.changes.ChangeLog;
import io.queueview.changes.QueueChange;
import io.queueview.changes.QueueFollower;
import io.queueview.http.error.ApiError;
import io.queueview.queue.QueueId;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * GET .../queuing-jobs/changes: a queue's changes as Server-Sent Events, as they apply. Each event's id is where to
 * resume ("partition:offset" in the changes topic), so a client that reconnects with Last-Event-ID gets what it
 * missed, or a final "reload" event when that is no longer kept. A stream holds a server thread while it is open,
 * hence the caps, per instance and per token, shared with the watches ({@link StreamSlots}: 503 past them); a stream whose client reads too slowly is cut off
 * with a "reload" event rather than buffering without bound.
 */
public final class ChangeStreams {

    /** A comment line this often keeps proxies and the server's idle timeout from closing a quiet stream. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** How soon an EventSource reconnects after the stream ends. */
    private static final int RETRY_MS = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ChangeLog> changes;
    private final StreamSlots slots;

    /**
     * @param changes the change log, or null while it is not ready (the service is starting)
     * @param slots   the caps this instance's streams share (change streams and watches)
     */
    public ChangeStreams(Supplier<ChangeLog> changes, StreamSlots slots) {
        this.changes = changes;
        this.slots = slots;
    }

    /** Streams the queue's changes until the client goes or the stream must end. The caller is authorized. */
    public void stream(HttpServletResponse response, QueueId queue, String token, String lastEventId) {
        ChangeLog log = changes.get();
        if (log == null) {
            throw ApiError.unavailable("the change streams are starting; retry shortly");
        }
        try (StreamSlots.Slot slot = slots.take(token); QueueFollower follower = log.follow(queue, lastEventId)) {
            send(response, queue, follower);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the usual end of a stream: the client closed it (a page left, a reconnect)
        }
    }

    private static void send(HttpServletResponse response, QueueId queue, QueueFollower follower)
            throws IOException, InterruptedException {
        OutputStream out = begin(response);
        if (!follower.resumable()) {
            event(out, null, "reload", "{\"reason\":\"the changes after Last-Event-ID are no longer kept here: "
                    + "reload the queue, then follow it again without Last-Event-ID\"}");
            return;
        }
        event(out, follower.startId(), "ready", JSON.createObjectNode().put("project_id", queue.projectId())
                .put("queue_type", queue.type().name()).put("resumed", follower.resumed()).toString());
        while (!follower.closed()) {
            QueueChange change = follower.next(HEARTBEAT);
            if (follower.overflowed()) {
                event(out, null, "reload", "{\"reason\":\"this stream fell more than its buffer behind the queue's "
                        + "changes: reload the queue, then follow it again without Last-Event-ID\"}");
                return;
            }
            if (change != null) {
                out.write(("id: " + change.resumeId() + "\nevent: change\ndata: ").getBytes(StandardCharsets.UTF_8));
                out.write(change.json()); // one line: the topic's JSON is compact
                write(out, "\n\n");
            } else if (!follower.closed()) {
                write(out, ": keep-alive\n\n");
            }
        }
    }

    /** Starts an event stream's answer: its headers, and how soon to reconnect. */
    static OutputStream begin(HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // proxies must not hold events back
        OutputStream out = response.getOutputStream();
        write(out, "retry: " + RETRY_MS + "\n");
        return out;
    }

    static void event(OutputStream out, String id, String name, String data) throws IOException {
        write(out, (id == null ? "" : "id: " + id + "\n") + "event: " + name + "\ndata: " + data + "\n\n");
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
