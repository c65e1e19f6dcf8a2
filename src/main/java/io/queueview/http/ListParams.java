package io.queueview.http;

import io.queueview.http.error.ApiError;
import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.queue.ClusterType;
import io.queueview.queue.JobType;
import io.queueview.queue.OutputType;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Validates the list call's query parameters (API.md section 1) into a {@link ListQuery}. */
final class ListParams {

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

    /**
     * max_lag: how many records behind a standby copy's answer may be, when no active view can answer here.
     *
     * @param fallback the server's default
     */
    static int maxLag(Map<String, List<String>> params, int fallback) {
        return new ListParams(params).integer("max_lag", fallback, 0, Integer.MAX_VALUE);
    }

    /** notify_at_position of a watch: a position from 1, or null when not given. */
    static Integer notifyAtPosition(Map<String, List<String>> params) {
        ListParams read = new ListParams(params);
        return read.text("notify_at_position") == null ? null
                : read.integer("notify_at_position", 0, 1, Integer.MAX_VALUE);
    }

    private ListQuery query(String projectId) {
        QueueType queueType = queueType();
        String clusterType = oneOf("cluster_type", ClusterType.class);
        String clusterId = text("cluster_id");
        if (ClusterType.MODELARTS.name().equals(clusterType) && clusterId == null) {
            throw ApiError.badRequest("cluster_id is required when cluster_type is MODELARTS");
        }
        Filters filters = new Filters(jobId(), oneOf("output_type", OutputType.class), oneOf("job_type", JobType.class),
                text("data_id"), text("processor_name"), clusterType, clusterId);
        int limit = integer("limit", ListQuery.DEFAULT_LIMIT, 1, ListQuery.MAX_LIMIT);
        int offset = integer("offset", 0, 0, Integer.MAX_VALUE);
        QueueId queue = new QueueId(projectId, queueType);
        String pageToken = text("page_token");
        if (pageToken == null) {
            return new ListQuery(queue, filters, limit, offset);
        }
        if (text("offset") != null) {
            throw ApiError.badRequest("offset and page_token cannot be combined: a page token continues after the "
                    + "last entry of the page it came with, an offset counts entries from the head; give one of them");
        }
        return new ListQuery(queue, filters, limit, 0, PageToken.read(pageToken, queue, filters));
    }

    private QueueType queueType() {
        return queueType(text("queue_type"));
    }

    /** A queue_type, from the query or a body. @throws ApiError 400 when it is missing or not a queue type */
    static QueueType queueType(String value) {
        if (value == null) {
            throw ApiError.badRequest("queue_type is required: one of " + words(QueueType.class));
        }
        QueueType type = QueueType.named(value);
        if (type == null) {
            throw ApiError.badRequest("queue_type '" + value + "' is not one of " + words(QueueType.class));
        }
        return type;
    }

    /** The words of an enumeration, for an error message: "A, B, C". */
    static String words(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
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

    private String oneOf(String name, Class<? extends Enum<?>> words) {
        String value = text(name);
        if (value != null && Arrays.stream(words.getEnumConstants()).noneMatch(word -> word.name().equals(value))) {
            throw ApiError.badRequest(name + " '" + value + "' is not one of " + words(words));
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

    /**
     * What the list call answers in: {@code format} (json, csv or ndjson) when given, else the first of text/csv and
     * application/x-ndjson that Accept names, else JSON. An export answers every matching entry, so a page's
     * parameters (limit, offset, page_token) are refused with it rather than ignored.
     *
     * @throws ApiError 400 for another format, or a page's parameter with an export
     */
    static ListFormat format(Map<String, List<String>> params, String accept) {
        ListParams list = new ListParams(params);
        String format = list.text("format");
        ListFormat chosen;
        if (format != null) {
            chosen = switch (format) {
                case "json" -> ListFormat.JSON;
                case "csv" -> ListFormat.CSV;
                case "ndjson" -> ListFormat.NDJSON;
                default -> throw ApiError.badRequest("format '" + format + "' is not one of json, csv, ndjson");
            };
        } else {
            chosen = ListFormat.accepted(accept);
        }
        if (chosen != ListFormat.JSON) {
            for (String page : List.of("limit", "offset", "page_token")) {
                if (list.text(page) != null) {
                    throw ApiError.badRequest(page + " does not apply to an export (" + chosen.mediaType()
                            + "): it answers every entry that matches the filters");
                }
            }
        }
        return chosen;
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
