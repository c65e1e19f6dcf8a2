package io.queueview.topology;

import io.queueview.event.JobDequeued;
import io.queueview.queue.Entry;
import io.queueview.queue.EntryJson;
import io.queueview.queue.JsonObject;
import io.queueview.queue.QueueId;
import java.nio.charset.StandardCharsets;

/**
 * One record of the queue-changes topic: key "project_id/QUEUE_TYPE", value
 * {"change":"UPSERT","version":..,"entry":{jobQueueVo}} or {"change":"REMOVE","project_id":..,"queue_type":..,
 * "id":..,"version":..,"reason":..} (version and reason only when known).
 */
record ChangeJson(byte[] key, byte[] value) {

    static ChangeJson upsert(Entry entry, Long version) {
        return of(entry.queue(), json -> {
            json.writeStringField("change", "UPSERT");
            if (version != null) {
                json.writeNumberField("version", version);
            }
            json.writeFieldName("entry");
            EntryJson.write(json, entry);
        });
    }

    static ChangeJson removal(JobDequeued event) {
        return of(event.queue(), json -> {
            json.writeStringField("change", "REMOVE");
            json.writeStringField("project_id", event.queue().projectId());
            json.writeStringField("queue_type", event.queue().type().name());
            json.writeNumberField("id", event.id());
            if (event.version() != null) {
                json.writeNumberField("version", event.version());
            }
            if (event.reason() != null) {
                json.writeStringField("reason", event.reason());
            }
        });
    }

    private static ChangeJson of(QueueId queue, JsonObject.Fields fields) {
        return new ChangeJson(queue.toString().getBytes(StandardCharsets.UTF_8), JsonObject.bytes(fields));
    }
}
