package io.queueview.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.queueview.query.Page;
import io.queueview.queue.Entry;
import io.queueview.queue.EntryJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The API's response bodies, written straight to bytes. */
final class ApiJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ApiJson() {
    }

    /** {"payload": {"list": [...], "page_info": {...}}, "meta_info": {"current_time": "...Z"}} */
    static byte[] page(Page page, Instant now) {
        return write(json -> {
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
            json.writeObjectFieldStart("meta_info");
            json.writeStringField("current_time", now.truncatedTo(ChronoUnit.SECONDS).toString());
            json.writeEndObject();
        });
    }

    static byte[] error(String code, String message) {
        return write(json -> {
            json.writeStringField("error_code", code);
            json.writeStringField("error_msg", message);
        });
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
