package io.queueview.command;

import com.fasterxml.jackson.core.JsonGenerator;
import io.queueview.queue.Entry;
import io.queueview.queue.JsonObject;
import io.queueview.queue.QueueId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * One record of the queue-audit topic (topology/README.md): who asked for which write, when, and what came of it —
 * the entries a command changed, or why the call was refused. A command's record is keyed like queue-changes,
 * "project_id/QUEUE_TYPE"; a refused call's by its project id alone (empty when the path itself was refused).
 */
public final class AuditJson {

    private AuditJson() {
    }

    public static byte[] key(QueueId queue) {
        return queue.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {"at","requested_by","command_id","call","project_id","queue_type",...,"outcome","changed":[...]} */
    public static byte[] applied(QueueCommand command, CommandOutcome outcome, List<Entry> changed, long appliedAtMs) {
        return JsonObject.bytes(json -> {
            json.writeStringField("at", Instant.ofEpochMilli(appliedAtMs).toString());
            json.writeStringField("requested_by", command.requestedBy());
            json.writeStringField("command_id", command.commandId());
            if (command instanceof MoveEntry move) {
                call(json, "MOVE", command.queue());
                json.writeNumberField("id", move.id());
                json.writeStringField("operation_type", move.operation().name());
            } else {
                SetPriority set = (SetPriority) command;
                call(json, "SET_PRIORITY", command.queue());
                json.writeArrayFieldStart("ids");
                for (long id : set.ids()) {
                    json.writeNumber(id);
                }
                json.writeEndArray();
                json.writeNumberField("priority", set.priority());
            }
            json.writeStringField("outcome", outcome.name());
            json.writeArrayFieldStart("changed");
            for (Entry entry : changed) {
                json.writeStartObject();
                json.writeNumberField("id", entry.id());
                json.writeNumberField("priority", entry.priority());
                json.writeNumberField("rank_stamp", entry.rankStamp());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** {"at","requested_by","call","project_id","outcome":"REFUSED","status","error_code","message"} */
    public static byte[] refused(RefusedWrite refused) {
        return JsonObject.bytes(json -> {
            json.writeStringField("at", refused.at().toString());
            json.writeStringField("requested_by", refused.requestedBy());
            json.writeStringField("call", refused.call());
            json.writeStringField("project_id", refused.projectId());
            json.writeStringField("outcome", "REFUSED");
            json.writeNumberField("status", refused.status());
            json.writeStringField("error_code", refused.errorCode());
            json.writeStringField("message", refused.message());
        });
    }

    private static void call(JsonGenerator json, String call, QueueId queue) throws IOException {
        json.writeStringField("call", call);
        json.writeStringField("project_id", queue.projectId());
        json.writeStringField("queue_type", queue.type().name());
    }
}
