package io.queueview.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.command.MoveEntry;
import io.queueview.command.SetPriority;
import io.queueview.http.error.ApiError;
import io.queueview.queue.Entry;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Validates the bodies of the write calls (API.md sections 2 and 3) into commands. */
final class WriteBodies {

    static final int MAX_IDS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private WriteBodies() {
    }

    /** {"queue_type": "...", "operation_type": "MOVE_TOP"} */
    static MoveEntry move(String projectId, long id, String contentType, byte[] body, String requestedBy) {
        JsonNode json = object(contentType, body);
        QueueId queue = queue(projectId, json);
        String operation = text(json, "operation_type");
        for (MoveOperation candidate : MoveOperation.values()) {
            if (candidate.name().equals(operation)) {
                return new MoveEntry(UUID.randomUUID().toString(), queue, id, candidate, requestedBy);
            }
        }
        throw ApiError.badRequest("operation_type " + (operation == null ? "is required" : "'" + operation + "' is not")
                + " one of " + ListParams.words(MoveOperation.class));
    }

    /** The queue a write body names. @throws ApiError 400 when the body or its queue_type is not valid */
    static QueueId queue(String projectId, String contentType, byte[] body) {
        return queue(projectId, object(contentType, body));
    }

    /** {"ids": [1, 2], "priority": 50, "queue_type": "..."}; ids given twice count once. */
    static SetPriority batch(String projectId, String contentType, byte[] body, String requestedBy) {
        JsonNode json = object(contentType, body);
        QueueId queue = queue(projectId, json);
        JsonNode ids = json.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_IDS) {
            throw ApiError.badRequest("ids must be an array of 1.." + MAX_IDS + " entry ids");
        }
        Set<Long> unique = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToLong()) {
                throw ApiError.badRequest("ids must hold integers (Long); found " + id);
            }
            unique.add(id.longValue());
        }
        JsonNode priority = json.get("priority");
        if (priority == null || !priority.isIntegralNumber() || !priority.canConvertToInt()
                || priority.intValue() < Entry.MIN_PRIORITY || priority.intValue() > Entry.MAX_PRIORITY) {
            throw ApiError.badRequest("priority must be an integer " + Entry.MIN_PRIORITY + ".." + Entry.MAX_PRIORITY
                    + (priority == null ? "" : "; found " + priority));
        }
        return new SetPriority(UUID.randomUUID().toString(), queue, new ArrayList<>(unique), priority.intValue(),
                requestedBy);
    }

    private static JsonNode object(String contentType, byte[] body) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw ApiError.badRequest("Content-Type must be application/json"
                    + (contentType == null ? "" : "; found " + contentType));
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object");
        }
        return json;
    }

    private static QueueId queue(String projectId, JsonNode json) {
        return new QueueId(projectId, ListParams.queueType(text(json, "queue_type")));
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node != null && !node.isNull() && !node.isTextual()) {
            throw ApiError.badRequest(field + " must be a string");
        }
        return node == null || node.isNull() ? null : node.textValue();
    }
}
