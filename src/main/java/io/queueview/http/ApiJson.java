package io.queueview.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.queueview.command.SetPriority;
import io.queueview.query.EntryPosition;
import io.queueview.query.Page;
import io.queueview.queue.Entry;
import io.queueview.queue.EntryJson;
import io.queueview.queue.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The API's response bodies, written straight to bytes. */
final class ApiJson {

    private ApiJson() {
    }

    /** {"payload": {"list": [...], "page_info": {...}}, "meta_info": {"current_time": "...Z"}} */
    static byte[] page(Page page, Instant now) {
        return JsonObject.bytes(json -> {
            json.writeObjectFieldStart("payload");
            json.writeArrayFieldStart("list");
            for (Entry entry : page.entries()) {
                EntryJson.write(json, entry);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("page_info");
            json.writeNumberField("offset", page.offset());
            json.writeNumberField("limit", page.limit());
            json.writeNumberField("total", page.total());
            json.writeEndObject();
            json.writeEndObject();
            metaInfo(json, now);
        });
    }

    private static void metaInfo(JsonGenerator json, Instant now) throws IOException {
        json.writeObjectFieldStart("meta_info");
        json.writeStringField("current_time", now.truncatedTo(ChronoUnit.SECONDS).toString());
        json.writeEndObject();
    }

    /** {"payload": {entry fields, "position": n, "queue_total": m}, "meta_info": {...}} */
    static byte[] position(EntryPosition position, Instant now) {
        return JsonObject.bytes(json -> {
            json.writeFieldName("payload");
            EntryJson.write(json, position.entry(), fields -> {
                fields.writeNumberField("position", position.position());
                fields.writeNumberField("queue_total", position.queueTotal());
            });
            metaInfo(json, now);
        });
    }

    /** {"payload": {"queue_type", "ids", "priority"}, "meta_info": {...}} */
    static byte[] priorities(SetPriority set, Instant now) {
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
            metaInfo(json, now);
        });
    }

    /** {"meta_info": {...}}: a write that has nothing more to show. */
    static byte[] metaOnly(Instant now) {
        return JsonObject.bytes(json -> metaInfo(json, now));
    }

    static byte[] error(String code, String message) {
        return JsonObject.bytes(json -> {
            json.writeStringField("error_code", code);
            json.writeStringField("error_msg", message);
        });
    }
}
