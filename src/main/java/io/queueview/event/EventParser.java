package io.queueview.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.queueview.event.ContractViolation.Kind;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads one record value of the event contract (EVENTS.md) into a {@link QueueEvent}, or says what is wrong. */
public final class EventParser {

    public static final int MAX_VALUE_BYTES = 64 * 1024;

    /**
     * A key given twice is refused while the tree is built, at no cost: the object's map already says when a key
     * was there. (The parser's STRICT_DUPLICATE_DETECTION keeps a set of names per object instead: about 20 % more
     * parse time on a 470-byte event.)
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private EventParser() {
    }

    public static QueueEvent parse(byte[] value) throws ContractViolation {
        if (value == null) {
            throw new ContractViolation(Kind.UNREADABLE, "value is null");
        }
        if (value.length > MAX_VALUE_BYTES) {
            throw new ContractViolation(Kind.TOO_LARGE,
                    "value has " + value.length + " bytes, more than " + MAX_VALUE_BYTES);
        }
        requireValidUtf8(value);
        JsonNode json = readOneObject(value);
        return new Fields(json).event();
    }

    /**
     * Jackson refuses some ill-formed UTF-8 but decodes other without a word: the overlong C0 AF becomes '/', in a
     * text or a key, and F4 90 80 80 (above U+10FFFF) passes. The JDK's decoder refuses every ill-formed sequence,
     * so it reads the value first. Measured on a 470-byte event: about 60 ns when it is all ASCII (the JDK checks
     * ASCII with an intrinsic), 220 ns with Chinese text in one field, against 1,000-1,200 ns for the whole parse.
     */
    private static void requireValidUtf8(byte[] value) throws ContractViolation {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        // UTF-8 never gives more chars than bytes, so the output cannot overflow and stop the decoder early
        if (decoder.decode(in, CharBuffer.allocate(value.length), true).isError()) {
            throw new ContractViolation(Kind.UNREADABLE,
                    "value is not valid UTF-8: an overlong, invalid or cut-off sequence at byte "
                    + in.position());
        }
    }

    private static JsonNode readOneObject(byte[] value) throws ContractViolation {
        try (JsonParser parser = JSON.createParser(value)) {
            JsonNode json;
            try {
                json = JSON.readTree(parser);
            } catch (MismatchedInputException e) { // the one mismatch of a tree read: FAIL_ON_READING_DUP_TREE_KEY
                throw new ContractViolation(Kind.UNREADABLE,
                        "value has the key '" + parser.currentName() + "' more than once");
            }
            if (json == null || !json.isObject()) {
                throw new ContractViolation(Kind.UNREADABLE, "value is not a JSON object");
            }
            // a plain read stops after the first value: a second object or garbage behind it would be lost unseen
            if (hasMore(parser)) {
                throw new ContractViolation(Kind.UNREADABLE, "value has data after its JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new ContractViolation(Kind.UNREADABLE, "value is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ContractViolation(Kind.UNREADABLE, "value is not readable JSON");
        }
    }

    /**
     * Whether anything but whitespace follows the value. Not DeserializationFeature.FAIL_ON_TRAILING_TOKENS: it
     * reports garbage there as an unrecognised token, like broken JSON, and the reason should say what is wrong.
     */
    private static boolean hasMore(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException garbage) {
            return true;
        }
    }

    /** The checks of one JSON object; each accessor names the field in its violation. */
    private record Fields(JsonNode json) {

        QueueEvent event() throws ContractViolation {
            String type = requiredText("event_type");
            String projectId = requiredText("project_id");
            if (projectId.isEmpty() || projectId.length() > QueueId.MAX_PROJECT_ID_LENGTH) {
                throw new ContractViolation(Kind.INVALID_FIELD,
                        "project_id must have 1.." + QueueId.MAX_PROJECT_ID_LENGTH + " characters");
            }
            String queueTypeName = requiredText("queue_type");
            QueueType queueType = QueueType.named(queueTypeName);
            if (queueType == null) {
                throw new ContractViolation(Kind.INVALID_FIELD,
                        "queue_type '" + queueTypeName + "' is not PROCESSOR, INTERNAL or RESIM");
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
                default -> throw new ContractViolation(Kind.UNKNOWN_EVENT_TYPE,
                        "event_type '" + type + "' is not JOB_ENQUEUED, JOB_UPDATED or JOB_DEQUEUED");
            };
        }

        private Integer priority(boolean required) throws ContractViolation {
            Long priority = required ? Long.valueOf(requiredLong("priority")) : optionalLong("priority");
            if (priority == null) {
                return null;
            }
            if (priority < Entry.MIN_PRIORITY || priority > Entry.MAX_PRIORITY) {
                throw new ContractViolation(Kind.INVALID_FIELD, "priority " + priority + " is outside "
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
                throw new ContractViolation(Kind.MISSING_FIELD, field + " is required");
            }
            return text;
        }

        private String optionalText(String field) throws ContractViolation {
            JsonNode node = present(field);
            if (node == null) {
                return null;
            }
            if (!node.isTextual()) {
                throw new ContractViolation(Kind.INVALID_FIELD, field + " must be a string");
            }
            return node.textValue();
        }

        private long requiredLong(String field) throws ContractViolation {
            Long value = optionalLong(field);
            if (value == null) {
                throw new ContractViolation(Kind.MISSING_FIELD, field + " is required");
            }
            return value;
        }

        private Long optionalLong(String field) throws ContractViolation {
            JsonNode node = present(field);
            if (node == null) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw new ContractViolation(Kind.INVALID_FIELD, field + " must be an integer (64-bit)");
            }
            return node.longValue();
        }
    }
}
