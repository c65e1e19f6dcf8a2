package io.queueview.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Builds event records of the contract (EVENTS.md) for tests: start from a valid event, change what matters. */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode node = MAPPER.createObjectNode();

    private EventJson(String type, String projectId, String queueType, long id) {
        node.put("event_type", type).put("project_id", projectId).put("queue_type", queueType).put("id", id);
    }

    /** A JOB_ENQUEUED with job_id = id, priority 0 and rank_stamp 1,000,000 + id. */
    public static EventJson enqueued(String projectId, String queueType, long id) {
        EventJson event = new EventJson("JOB_ENQUEUED", projectId, queueType, id);
        event.node.put("job_id", id).put("priority", 0).put("rank_stamp", 1_000_000L + id);
        return event;
    }

    public static EventJson updated(String projectId, String queueType, long id) {
        return new EventJson("JOB_UPDATED", projectId, queueType, id);
    }

    public static EventJson dequeued(String projectId, String queueType, long id) {
        return new EventJson("JOB_DEQUEUED", projectId, queueType, id);
    }

    public EventJson with(String field, String value) {
        node.put(field, value);
        return this;
    }

    public EventJson with(String field, long value) {
        node.put(field, value);
        return this;
    }

    public EventJson without(String field) {
        node.remove(field);
        return this;
    }

    public EventJson version(long version) {
        return with("version", version);
    }

    public long id() {
        return node.get("id").asLong();
    }

    public String json() {
        return node.toString();
    }

    public byte[] bytes() {
        return json().getBytes(StandardCharsets.UTF_8);
    }
}
