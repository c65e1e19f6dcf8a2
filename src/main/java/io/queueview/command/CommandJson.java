package io.queueview.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a queue-commands record (topology/commands.schema.json):
 * {"command":"MOVE","command_id","project_id","queue_type","id","operation_type"} or
 * {"command":"SET_PRIORITY","command_id","project_id","queue_type","ids":[...],"priority"}.
 */
public final class CommandJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommandJson() {
    }

    public static byte[] encode(QueueCommand command) {
        ObjectNode node = JSON.createObjectNode();
        if (command instanceof MoveEntry move) {
            node.put("command", "MOVE");
            header(node, command);
            node.put("id", move.id()).put("operation_type", move.operation().name());
        } else {
            SetPriority set = (SetPriority) command;
            node.put("command", "SET_PRIORITY");
            header(node, command);
            set.ids().forEach(node.putArray("ids")::add);
            node.put("priority", set.priority());
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the bytes are not a command (only queueview writes this topic) */
    public static QueueCommand decode(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("a queue command is not JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a queue command is not a JSON object");
        }
        String commandId = node.path("command_id").asText();
        QueueType type = QueueType.named(node.path("queue_type").asText());
        if (commandId.isEmpty() || type == null) {
            throw new IllegalArgumentException("a queue command lacks command_id or queue_type");
        }
        QueueId queue = new QueueId(node.path("project_id").asText(), type);
        // commands written before callers were named have none
        String requestedBy = node.path("requested_by").asText(QueueCommand.UNKNOWN_CALLER);
        return switch (node.path("command").asText()) {
            case "MOVE" -> new MoveEntry(commandId, queue, node.path("id").asLong(),
                    MoveOperation.valueOf(node.path("operation_type").asText()), requestedBy);
            case "SET_PRIORITY" -> {
                List<Long> ids = new ArrayList<>();
                node.path("ids").forEach(id -> ids.add(id.asLong()));
                yield new SetPriority(commandId, queue, ids, node.path("priority").asInt(), requestedBy);
            }
            default -> throw new IllegalArgumentException("unknown queue command " + node.path("command"));
        };
    }

    private static void header(ObjectNode node, QueueCommand command) {
        node.put("command_id", command.commandId())
                .put("requested_by", command.requestedBy())
                .put("project_id", command.queue().projectId())
                .put("queue_type", command.queue().type().name());
    }
}
