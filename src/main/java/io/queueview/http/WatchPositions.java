package io.queueview.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.queueview.http.error.ApiError;
import io.queueview.http.peer.Forwarding;
import io.queueview.http.peer.PeerUnreachable;
import io.queueview.http.sse.EntryPositions;
import io.queueview.http.sse.WatchedPosition;
import io.queueview.query.EntryPosition;
import io.queueview.query.OwnedElsewhere;
import io.queueview.query.QueuePlacement;
import io.queueview.query.QueueReader;
import io.queueview.query.QueueUnavailable;
import io.queueview.query.ReadFrom;
import io.queueview.queue.QueueId;
import io.queueview.time.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a watched entry stands, by the position call's logic: read from the queue's view here when this instance
 * owns the queue (or holds a copy of it close enough, when the owner has none to give), else asked of its owner as
 * a position call with the watcher's credentials. A watch asks once per burst of its queue's changes.
 */
final class WatchPositions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueReader reader;
    private final Forwarding forwarding;
    private final Ticker time;
    private final int maxLag;

    WatchPositions(QueueReader reader, Forwarding forwarding, Ticker time, int maxLag) {
        this.reader = reader;
        this.forwarding = forwarding;
        this.time = time;
        this.maxLag = maxLag;
    }

    /** The lookup of one watcher's call: a position asked of the owner carries its credentials. */
    EntryPositions of(Context caller) {
        return (queue, id) -> find(queue, id, caller);
    }

    private Optional<WatchedPosition> find(QueueId queue, long id, Context caller) {
        QueuePlacement placement = reader.placement(queue);
        if (placement.activeHere() || placement.active() == null || !forwarding.reachable(placement.active())) {
            // here; or no owner to ask (a rebalance, an owner down): a copy here, if close enough, else a 503
            return reader.entry(queue, id, time.instant(), placement.activeHere() ? ReadFrom.ACTIVE
                    : ReadFrom.activeOrCopy(maxLag)).value().map(WatchPositions::watched);
        }
        Forwarding.Fetched answer;
        try {
            answer = forwarding.fetch(placement.active(), QueuingJobsApi.PATH.replace("{project_id}",
                    URLEncoder.encode(queue.projectId(), StandardCharsets.UTF_8).replace("+", "%20"))
                    + "/" + id + "?queue_type=" + queue.type().name(), caller);
        } catch (PeerUnreachable unreachable) { // as a read's: a 502 when the watch opens, asked again later after
            throw ApiError.ownerUnreachable("the instance that owns this queue, " + unreachable.instance()
                    + ", cannot be reached; retry shortly", unreachable);
        }
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new QueueUnavailable("the owner of queue " + queue + " answered " + answer.status());
        }
        try {
            JsonNode payload = JSON.readTree(answer.body()).path("payload");
            JsonNode wait = payload.get("estimated_wait_seconds");
            return Optional.of(new WatchedPosition(payload.path("position").asLong(),
                    payload.path("queue_total").asLong(), wait == null ? null : wait.asLong()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WatchedPosition watched(EntryPosition position) {
        return new WatchedPosition(position.position(), position.queueTotal(),
                position.estimate() == null ? null : position.estimate().waitSeconds());
    }
}
