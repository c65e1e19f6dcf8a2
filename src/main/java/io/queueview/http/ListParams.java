package io.queueview.http;

import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates the list call's query parameters (API.md section 1) into a {@link ListQuery}. */
final class ListParams {

    static final Set<String> OUTPUT_TYPES = Set.of("DATA_MARK", "OPEN_DATA", "DATA_SET", "REPLAY_SIM", "PLOT_DATA");
    static final Set<String> JOB_TYPES = Set.of("PACKAGE_IMPORT", "PACKAGE_DELETE", "SCENARIO_AUTO_MINING",
            "SCENARIO_TO_SIM", "FRAME_EXTRACT", "SCENARIO_EXTRACT");
    static final Set<String> CLUSTER_TYPES = Set.of("CCE", "MODELARTS");

    private final Map<String, List<String>> params;

    private ListParams(Map<String, List<String>> params) {
        this.params = params;
    }

    /** @throws ApiError 400 naming the first parameter that breaks its rule */
    static ListQuery parse(String projectId, Map<String, List<String>> params) {
        return new ListParams(params).query(projectId);
    }

    /** The queue_type parameter alone, for calls on one entry. */
    static QueueType queueType(Map<String, List<String>> params) {
        return new ListParams(params).queueType();
    }

    /** @throws ApiError 400 when the path's project id is too long */
    static String projectId(String projectId) {
        if (projectId.length() > QueueId.MAX_PROJECT_ID_LENGTH) {
            throw ApiError.badRequest("project_id must have at most " + QueueId.MAX_PROJECT_ID_LENGTH + " characters");
        }
        return projectId;
    }

    private ListQuery query(String projectId) {
        QueueType queueType = queueType();
        String clusterType = oneOf("cluster_type", CLUSTER_TYPES);
        String clusterId = text("cluster_id");
        if ("MODELARTS".equals(clusterType) && clusterId == null) {
            throw ApiError.badRequest("cluster_id is required when cluster_type is MODELARTS");
        }
        Filters filters = new Filters(jobId(), oneOf("output_type", OUTPUT_TYPES), oneOf("job_type", JOB_TYPES),
                text("data_id"), text("processor_name"), clusterType, clusterId);
        int limit = integer("limit", ListQuery.DEFAULT_LIMIT, 1, ListQuery.MAX_LIMIT);
        int offset = integer("offset", 0, 0, Integer.MAX_VALUE);
        return new ListQuery(new QueueId(projectId(projectId), queueType), filters, limit, offset);
    }

    private QueueType queueType() {
        String value = text("queue_type");
        if (value == null) {
            throw ApiError.badRequest("queue_type is required: one of PROCESSOR, INTERNAL, RESIM");
        }
        QueueType type = QueueType.named(value);
        if (type == null) {
            throw ApiError.badRequest("queue_type '" + value + "' is not one of PROCESSOR, INTERNAL, RESIM");
        }
        return type;
    }

    private Long jobId() {
        String value = text("job_id");
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("job_id '" + value + "' is not an integer (Long)");
        }
    }

    private String oneOf(String name, Set<String> allowed) {
        String value = text(name);
        if (value != null && !allowed.contains(value)) {
            throw ApiError.badRequest(name + " '" + value + "' is not one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    private int integer(String name, int fallback, int min, int max) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        String rule = max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer " + min + ".." + max;
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " '" + value + "' must be " + rule);
    }

    /** The parameter's single value, null when absent or empty; given twice is an error. */
    private String text(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiError.badRequest(name + " is given " + values.size() + " times; give it once");
        }
        String value = values.get(0);
        return value.isEmpty() ? null : value;
    }
}
