package io.queueview.http.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queueview.changes.ChangeLog;
import io.queueview.changes.QueueChange;
import io.queueview.changes.QueueFollower;
import io.queueview.http.error.ApiError;
import io.queueview.queue.QueueId;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GET .../queuing-jobs/{id}/watch: one entry's position and estimate as Server-Sent Events, sent again whenever a
 * change of its queue (or the heartbeat) finds them changed; "reached" once when it stands at notify_at_position or
 * nearer the head; a last "left" event, with the reason, when it leaves the queue. The queue's changes (the change
 * log, as a change stream follows them) say when to look and when it left; the position is read by the position
 * call's logic ({@link EntryPositions}). Event ids resume as a change stream's do. Holds a server thread while it is
 * open, in the same slots as the change streams.
 */
public final class JobWatches {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ChangeLog> changes;
    private final StreamSlots slots;

    /** @param changes the change log, or null while it is not ready (the service is starting) */
    public JobWatches(Supplier<ChangeLog> changes, StreamSlots slots) {
        this.changes = changes;
        this.slots = slots;
    }

    /** What a watch is on: an entry of a queue, and the position to tell when it reaches (null: none). */
    public record Watched(QueueId queue, long id, Integer notifyAtPosition) {
    }

    /**
     * Watches the entry until it leaves the queue, the client goes or the service stops. The caller is authorized.
     *
     * @throws ApiError 404 when the entry is not queued there (and a resumed watch missed no removal of it), 503 when
     *                  the instance or token holds as many streams as it may, or the position cannot be read now
     */
    public void watch(HttpServletResponse response, Watched watched, EntryPositions positions, String token,
                      String lastEventId) {
        ChangeLog log = changes.get();
        if (log == null) {
            throw ApiError.unavailable("the watches are starting; retry shortly");
        }
        try (StreamSlots.Slot slot = slots.take(token);
             QueueFollower follower = log.follow(watched.queue(), lastEventId)) {
            new Watch(watched, positions, follower).run(response);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the usual end: the client closed it
        }
    }

    /** One open watch: what it last sent. */
    private final class Watch {
        private final Watched watched;
        private final EntryPositions positions;
        private final QueueFollower follower;
        private WatchedPosition sent;
        private boolean reached;

        Watch(Watched watched, EntryPositions positions, QueueFollower follower) {
            this.watched = watched;
            this.positions = positions;
            this.follower = follower;
        }

        void run(HttpServletResponse response) throws IOException, InterruptedException {
            if (!follower.resumable()) {
                ChangeStreams.event(ChangeStreams.begin(response), null, "reload", "{\"reason\":\"the changes after "
                        + "Last-Event-ID are no longer kept here: watch again without Last-Event-ID\"}");
                return;
            }
            List<QueueChange> missed = drain(null); // what a resumed watch missed
            String at = missed.isEmpty() ? follower.startId() : missed.get(missed.size() - 1).resumeId();
            QueueChange removal = removalIn(missed);
            Optional<WatchedPosition> now = removal == null ? positions.of(watched.queue(), watched.id())
                    : Optional.empty();
            if (removal == null && now.isEmpty()) {
                throw ApiError.notFound("entry " + watched.id() + " is not queued in the " + watched.queue().type()
                        + " queue of project " + watched.queue().projectId());
            }
            OutputStream out = ChangeStreams.begin(response);
            ObjectNode ready = JSON.createObjectNode().put("project_id", watched.queue().projectId())
                    .put("queue_type", watched.queue().type().name()).put("id", watched.id());
            if (watched.notifyAtPosition() != null) {
                ready.put("notify_at_position", watched.notifyAtPosition());
            }
            ChangeStreams.event(out, follower.startId(), "ready", ready.put("resumed", follower.resumed()).toString());
            if (removal != null) {
                left(out, removal);
                return;
            }
            tell(out, at, now.get());
            while (!follower.closed()) {
                QueueChange change = follower.next(ChangeStreams.HEARTBEAT);
                if (follower.overflowed()) {
                    ChangeStreams.event(out, null, "reload", "{\"reason\":\"this watch fell more than its buffer "
                            + "behind the queue's changes: watch again without Last-Event-ID\"}");
                    return;
                }
                if (follower.closed()) {
                    return;
                }
                List<QueueChange> batch = drain(change); // a burst of changes: one look at the position
                removal = removalIn(batch);
                if (removal != null) {
                    left(out, removal);
                    return;
                }
                if (!batch.isEmpty()) {
                    at = batch.get(batch.size() - 1).resumeId();
                }
                if (!look(out, at) && change == null) {
                    ChangeStreams.write(out, ": keep-alive\n\n");
                }
            }
        }

        /** The change given, and every one already waiting behind it. */
        private List<QueueChange> drain(QueueChange first) throws InterruptedException {
            List<QueueChange> batch = new ArrayList<>();
            if (first != null) {
                batch.add(first);
            }
            for (QueueChange next; (next = follower.next(Duration.ZERO)) != null; ) {
                batch.add(next);
            }
            return batch;
        }

        private QueueChange removalIn(List<QueueChange> batch) {
            for (QueueChange change : batch) {
                if (removes(change)) {
                    return change;
                }
            }
            return null;
        }

        private boolean removes(QueueChange change) {
            try {
                JsonNode json = JSON.readTree(change.json());
                return "REMOVE".equals(json.path("change").asText()) && json.path("id").asLong() == watched.id();
            } catch (IOException notJson) {
                return false;
            }
        }

        /**
         * Reads the position and tells it if it changed; false when nothing was sent. A position that cannot be read
         * now (the queue's view is moving), or an entry gone from the view before its removal reached the feed, waits
         * for the next change or heartbeat.
         */
        private boolean look(OutputStream out, String at) throws IOException {
            Optional<WatchedPosition> now;
            try {
                now = positions.of(watched.queue(), watched.id());
            } catch (RuntimeException notNow) {
                return false;
            }
            if (now.isEmpty() || now.get().sameAs(sent)) { // the queue's total alone changing is not news
                return false;
            }
            tell(out, at, now.get());
            return true;
        }

        private void tell(OutputStream out, String at, WatchedPosition position) throws IOException {
            ObjectNode json = JSON.createObjectNode().put("id", watched.id()).put("position", position.position())
                    .put("queue_total", position.queueTotal());
            if (position.estimatedWaitSeconds() != null) {
                json.put("estimated_wait_seconds", position.estimatedWaitSeconds());
            }
            ChangeStreams.event(out, at, "position", json.toString());
            sent = position;
            if (!reached && watched.notifyAtPosition() != null && position.position() <= watched.notifyAtPosition()) {
                reached = true;
                ChangeStreams.event(out, at, "reached", JSON.createObjectNode().put("id", watched.id())
                        .put("position", position.position()).put("notify_at_position", watched.notifyAtPosition())
                        .toString());
            }
        }

        private void left(OutputStream out, QueueChange removal) throws IOException {
            JsonNode json = JSON.readTree(removal.json());
            ObjectNode body = JSON.createObjectNode().put("id", watched.id());
            body.put("reason", json.hasNonNull("reason") ? json.get("reason").asText() : "REMOVED");
            ChangeStreams.event(out, removal.resumeId(), "left", body.toString());
        }
    }
}
