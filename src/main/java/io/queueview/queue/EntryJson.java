package io.queueview.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes an entry as the API's jobQueueVo: snake_case, fields without a value left out, and the processor
 * fields (processor_id, source, processor_name, output_type) never shown for the INTERNAL queue.
 */
public final class EntryJson {

    private EntryJson() {
    }

    public static void write(JsonGenerator json, Entry entry) throws IOException {
        write(json, entry, fields -> { });
    }

    /** With extra fields written after the entry's own, inside the same object. */
    public static void write(JsonGenerator json, Entry entry, JsonObject.Fields extra) throws IOException {
        boolean internal = entry.queue().type() == QueueType.INTERNAL;
        json.writeStartObject();
        json.writeNumberField("id", entry.id());
        json.writeNumberField("job_id", entry.jobId());
        if (!internal && entry.processorId() != null) {
            json.writeNumberField("processor_id", entry.processorId());
        }
        if (!internal) {
            text(json, "source", entry.source());
            text(json, "processor_name", entry.processorName());
        }
        text(json, "job_type", entry.jobType());
        text(json, "data_id", entry.dataId());
        if (!internal) {
            text(json, "output_type", entry.outputType());
        }
        json.writeNumberField("rank_stamp", entry.rankStamp());
        json.writeStringField("project_id", entry.queue().projectId());
        text(json, "resource_spec", entry.resourceSpec());
        json.writeNumberField("priority", entry.priority());
        json.writeStringField("queue_type", entry.queue().type().name());
        text(json, "workspace_id", entry.workspaceId());
        text(json, "cluster_type", entry.clusterType());
        text(json, "cluster_id", entry.clusterId());
        extra.write(json);
        json.writeEndObject();
    }

    private static void text(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
