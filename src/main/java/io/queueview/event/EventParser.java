package io.queueview.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.io.IOException;

/** Reads one record value of the event contract (EVENTS.md) into a {@link QueueEvent}, or says what is wrong. */
public final class EventParser {

    public static final int MAX_VALUE_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventParser() {
    }

    public static QueueEvent parse(byte[] value) throws ContractViolation {
        if (value == null) {
            throw new ContractViolation("value is null");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new ContractViolation("value has " + value.length + " bytes, more than " + MAX_VALUE_BYTES);
        }
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new ContractViolation("value is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ContractViolation("value is not readable JSON");
        }
        if (json == null || !json.isObject()) {
            throw new ContractViolation("value is not a JSON object");
        }
        return new Fields(json).event();
    }

    /** The checks of one JSON object; each accessor names the field in its violation. */
    private record Fields(JsonNode json) {

        QueueEvent event() throws ContractViolation {
            String type = requiredText("event_type");
            String projectId = requiredText("project_id");
            if (projectId.isEmpty() || projectId.length() > QueueId.MAX_PROJECT_ID_LENGTH) {
                throw new ContractViolation("project_id must have 1.." + QueueId.MAX_PROJECT_ID_LENGTH + " characters");
            }
            String queueTypeName = requiredText("queue_type");
            QueueType queueType = QueueType.named(queueTypeName);
            if (queueType == null) {
                throw new ContractViolation("queue_type '" + queueTypeName + "' is not PROCESSOR, INTERNAL or RESIM");
            }
            QueueId queue = new QueueId(projectId, queueType);
            long id = requiredLong("id");
            Long version = optionalLong("version");
            optionalLong("event_time"); // checked (an integer when sent), not kept: no rule of the view reads it
            return switch (type) {
                case "JOB_ENQUEUED" -> new JobEnqueued(new Entry(queue, id,
                        requiredLong("job_id"), priority(true), requiredLong("rank_stamp"),
                        optionalLong("processor_id"), optionalText("source"), optionalText("processor_name"),
                        optionalText("job_type"), optionalText("data_id"), optionalText("output_type"),
                        optionalText("resource_spec"), optionalText("workspace_id"),
                        optionalText("cluster_type"), optionalText("cluster_id")), version);
                case "JOB_UPDATED" -> new JobUpdated(queue, id, version,
                        priority(false), optionalLong("rank_stamp"), optionalText("resource_spec"),
                        optionalText("cluster_type"), optionalText("cluster_id"));
                case "JOB_DEQUEUED" -> new JobDequeued(queue, id, version, optionalText("reason"));
                default -> throw new ContractViolation(
                        "event_type '" + type + "' is not JOB_ENQUEUED, JOB_UPDATED or JOB_DEQUEUED");
            };
        }

        private Integer priority(boolean required) throws ContractViolation {
            Long priority = required ? Long.valueOf(requiredLong("priority")) : optionalLong("priority");
            if (priority == null) {
                return null;
            }
            if (priority < Entry.MIN_PRIORITY || priority > Entry.MAX_PRIORITY) {
                throw new ContractViolation("priority " + priority + " is outside "
                        + Entry.MIN_PRIORITY + ".." + Entry.MAX_PRIORITY);
            }
            return priority.intValue();
        }

        private JsonNode present(String field) {
            JsonNode node = json.get(field);
            return node == null || node.isNull() ? null : node;
        }

        private String requiredText(String field) throws ContractViolation {
            String text = optionalText(field);
            if (text == null) {
                throw new ContractViolation(field + " is required");
            }
            return text;
        }

        private String optionalText(String field) throws ContractViolation {
            JsonNode node = present(field);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                throw new ContractViolation(field + " must be a string");
            }
            return node.textValue();
        }

        private long requiredLong(String field) throws ContractViolation {
            Long value = optionalLong(field);
            if (value == null) {
                throw new ContractViolation(field + " is required");
            }
            return value;
        }

        private Long optionalLong(String field) throws ContractViolation {
            JsonNode node = present(field);
            if (node == null) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new ContractViolation(field + " must be an integer (64-bit)");
            }
            return node.longValue();
        }
    }
}
