package io.queueview.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.queueview.command.SetPriority;
import io.queueview.query.Ahead;
import io.queueview.query.ClusterState;
import io.queueview.query.EntryPosition;
import io.queueview.query.Page;
import io.queueview.query.ViewFreshness;
import io.queueview.query.WaitEstimate;
import io.queueview.query.WaitStats;
import io.queueview.queue.EntryJson;
import io.queueview.queue.JsonObject;
import io.queueview.queue.QueueType;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The API's response bodies, written straight to bytes. */
final class ApiJson {

    private ApiJson() {
    }

    /**
     * {"payload": {"list": [...], "page_info": {"offset", "limit", "total", "next_page_token"}}, "meta_info": {...}}:
     * no offset after a page token, no next_page_token (null) when nothing follows.
     */
    static byte[] page(Page page, String nextPageToken, Meta meta) {
        return JsonObject.bytes(json -> {
            json.writeObjectFieldStart("payload");
            json.writeArrayFieldStart("list");
            for (int i = 0; i < page.entries().size(); i++) {
                WaitEstimate wait = page.waits().isEmpty() ? null : page.waits().get(i);
                EntryJson.write(json, page.entries().get(i), fields -> estimate(fields, wait));
            }
            json.writeEndArray();
            json.writeObjectFieldStart("page_info");
            if (page.offset() != null) { // a page after a page token starts at a place, not a counted offset
                json.writeNumberField("offset", page.offset());
            }
            json.writeNumberField("limit", page.limit());
            json.writeNumberField("total", page.total());
            if (nextPageToken != null) {
                json.writeStringField("next_page_token", nextPageToken);
            }
            json.writeEndObject();
            json.writeEndObject();
            metaInfo(json, meta);
        });
    }

    /**
     * What every answer says of itself: the time, and — on an answer to a call another instance forwarded here —
     * which instance answered (additive: clients that do not know the field ignore it).
     */
    record Meta(Instant now, String answeredBy, ViewFreshness view) {
    }

    private static void metaInfo(JsonGenerator json, Meta meta) throws IOException {
        json.writeObjectFieldStart("meta_info");
        json.writeStringField("current_time", meta.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (meta.answeredBy() != null) {
            json.writeStringField("answered_by", meta.answeredBy());
        }
        if (meta.view() != null) {
            json.writeFieldName("view");
            view(json, meta.view());
        }
        json.writeEndObject();
    }

    /**
     * {"payload": {entry fields, "position": n, "queue_total": m, and when the queue has a pace
     * "estimated_wait_seconds", "dispatch_rate_per_minute", "estimate_window_seconds", "estimate_basis", ...;
     * "ahead": {...}},
     * "meta_info": {...}}
     */
    static byte[] position(EntryPosition position, Meta meta) {
        return JsonObject.bytes(json -> {
            json.writeFieldName("payload");
            EntryJson.write(json, position.entry(), fields -> {
                fields.writeNumberField("position", position.position());
                fields.writeNumberField("queue_total", position.queueTotal());
                estimate(fields, position.estimate());
                ahead(fields, position.ahead());
            });
            metaInfo(json, meta);
        });
    }

    /** An entry's estimated wait and its basis; nothing when there is none (additive fields, left out, not null). */
    private static void estimate(JsonGenerator json, WaitEstimate wait) throws IOException {
        if (wait != null) {
            json.writeNumberField("estimated_wait_seconds", wait.waitSeconds());
            json.writeNumberField("dispatch_rate_per_minute", wait.dispatchesPerMinute());
            json.writeNumberField("estimate_window_seconds", wait.windowSeconds());
            json.writeStringField("estimate_basis", wait.basis().name());
            if (wait.clusterDispatchesPerMinute() != null) {
                json.writeNumberField("cluster_dispatch_rate_per_minute", wait.clusterDispatchesPerMinute());
            }
            if (wait.arrivalsAheadPerMinute() != null) {
                json.writeNumberField("arrivals_ahead_per_minute", wait.arrivalsAheadPerMinute());
            }
        }
    }

    /** What is ahead of the entry: "ahead": {"higher_priority", "same_priority", and "same_cluster" if it names one}. */
    private static void ahead(JsonGenerator json, Ahead ahead) throws IOException {
        json.writeObjectFieldStart("ahead");
        json.writeNumberField("higher_priority", ahead.higherPriority());
        json.writeNumberField("same_priority", ahead.samePriority());
        if (ahead.sameCluster() != null) {
            json.writeNumberField("same_cluster", ahead.sameCluster());
        }
        json.writeEndObject();
    }

    /**
     * {"payload": {"queue_type", "last_hour": {window}, "last_24h": {window}, "depth": {"from", "step_seconds",
     * "points"}}, "meta_info": {...}}; a window: {"seconds", "dispatched", "dispatched_per_minute", "timed", and when
     * any is timed "time_in_queue_seconds": {"p50", "p90", "p99"}}. No "depth" before the history's first minute.
     */
    static byte[] stats(QueueType type, WaitStats stats, Meta meta) {
        return JsonObject.bytes(json -> {
            json.writeObjectFieldStart("payload");
            json.writeStringField("queue_type", type.name());
            window(json, "last_hour", stats.lastHour());
            window(json, "last_24h", stats.lastDay());
            if (stats.depthFrom() != null) {
                json.writeObjectFieldStart("depth");
                json.writeStringField("from", stats.depthFrom().toString());
                json.writeNumberField("step_seconds", 60);
                json.writeArrayFieldStart("points");
                for (long depth : stats.depth()) {
                    json.writeNumber(depth);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
            metaInfo(json, meta);
        });
    }

    private static void window(JsonGenerator json, String name, WaitStats.Window window) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("seconds", window.seconds());
        json.writeNumberField("dispatched", window.dispatched());
        json.writeNumberField("dispatched_per_minute", window.perMinute());
        json.writeNumberField("timed", window.timed());
        if (window.percentiles() != null) {
            json.writeObjectFieldStart("time_in_queue_seconds");
            json.writeNumberField("p50", window.percentiles().p50());
            json.writeNumberField("p90", window.percentiles().p90());
            json.writeNumberField("p99", window.percentiles().p99());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    /** {"payload": {"queue_type", "ids", "priority"}, "meta_info": {...}} */
    static byte[] priorities(SetPriority set, Meta meta) {
        return JsonObject.bytes(json -> {
            json.writeObjectFieldStart("payload");
            json.writeStringField("queue_type", set.queue().type().name());
            json.writeArrayFieldStart("ids");
            for (long id : set.ids()) {
                json.writeNumber(id);
            }
            json.writeEndArray();
            json.writeNumberField("priority", set.priority());
            json.writeEndObject();
            metaInfo(json, meta);
        });
    }

    /** {"meta_info": {...}}: a write that has nothing more to show. */
    static byte[] metaOnly(Meta meta) {
        return JsonObject.bytes(json -> metaInfo(json, meta));
    }

    /** /health/cluster: {"self", "state", "instances": [{"address", "active", "standby"}], "local_lags": {...}} */
    static byte[] cluster(ClusterState cluster) {
        return JsonObject.bytes(json -> {
            if (cluster.self() != null) { // left out while starting, as every field without a value
                json.writeStringField("self", cluster.self().toString());
            }
            json.writeStringField("state", cluster.state());
            json.writeArrayFieldStart("instances");
            for (ClusterState.Instance instance : cluster.instances()) {
                json.writeStartObject();
                json.writeStringField("address", instance.address().toString());
                writeNumbers(json, "active", instance.active());
                writeNumbers(json, "standby", instance.standby());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("local_lags");
            for (Map.Entry<Integer, Long> lag : cluster.localLags().entrySet()) {
                json.writeNumberField(Integer.toString(lag.getKey()), lag.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("views");
            for (Map.Entry<Integer, ViewFreshness> view : cluster.views().entrySet()) {
                json.writeFieldName(Integer.toString(view.getKey()));
                view(json, view.getValue());
            }
            json.writeEndObject();
        });
    }

    private static void writeNumbers(JsonGenerator json, String field, List<Integer> numbers) throws IOException {
        json.writeArrayFieldStart(field);
        for (int number : numbers) {
            json.writeNumber(number);
        }
        json.writeEndArray();
    }

    /** {"applied_until": "...Z" (absent before the first record and for a copy), "lag": n, "stale": false} */
    private static void view(JsonGenerator json, ViewFreshness view) throws IOException {
        json.writeStartObject();
        if (view.appliedUntil() != null) {
            json.writeStringField("applied_until", view.appliedUntil().toString());
        }
        json.writeNumberField("lag", view.lag());
        json.writeBooleanField("stale", view.stale());
        json.writeEndObject();
    }
}
