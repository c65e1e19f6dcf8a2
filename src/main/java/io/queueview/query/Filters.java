package io.queueview.query;

import io.queueview.queue.Entry;
import io.queueview.store.FilterField;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The list call's exact-match filters, combined with AND; null means "any". */
public record Filters(Long jobId, String outputType, String jobType, String dataId, String processorName,
                      String clusterType, String clusterId) {

    public static final Filters NONE = new Filters(null, null, null, null, null, null, null);

    public boolean matches(Entry entry) {
        return (jobId == null || jobId == entry.jobId())
                && matches(outputType, entry.outputType())
                && matches(jobType, entry.jobType())
                && matches(dataId, entry.dataId())
                && matches(processorName, entry.processorName())
                && matches(clusterType, entry.clusterType())
                && matches(clusterId, entry.clusterId());
    }

    /**
     * The fields filtered by, with the value asked for each as {@link FilterField#of} gives it; a cluster type and
     * id count as one.
     */
    public Map<FilterField, Object> byField() {
        Map<FilterField, Object> fields = new EnumMap<>(FilterField.class);
        put(fields, FilterField.JOB_ID, jobId);
        put(fields, FilterField.OUTPUT_TYPE, outputType);
        put(fields, FilterField.JOB_TYPE, jobType);
        put(fields, FilterField.DATA_ID, dataId);
        put(fields, FilterField.PROCESSOR_NAME, processorName);
        if (clusterType != null && clusterId != null) {
            put(fields, FilterField.CLUSTER, FilterField.cluster(clusterType, clusterId));
        } else {
            put(fields, FilterField.CLUSTER_TYPE, clusterType);
            put(fields, FilterField.CLUSTER_ID, clusterId);
        }
        return fields;
    }

    private static void put(Map<FilterField, Object> fields, FilterField field, Object value) {
        if (value != null) {
            fields.put(field, value);
        }
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || Objects.equals(wanted, actual);
    }
}
