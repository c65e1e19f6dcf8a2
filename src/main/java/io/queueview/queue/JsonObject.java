package io.queueview.queue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes one JSON object straight to bytes: the API's bodies and the queue-changes values. */
public final class JsonObject {

    /** The fields of an object, written between its braces. */
    public interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static final JsonFactory JSON = new JsonFactory();

    private JsonObject() {
    }

    public static byte[] bytes(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: not expected
        }
        return out.toByteArray();
    }
}
