package io.queueview.query;

import io.queueview.queue.Entry;
import java.util.Objects;

/** The list call's exact-match filters, combined with AND; null means "any". */
public record Filters(Long jobId, String outputType, String jobType, String dataId, String processorName,
                      String clusterType, String clusterId) {

    public static final Filters NONE = new Filters(null, null, null, null, null, null, null);

    public boolean none() {
        return equals(NONE);
    }

    public boolean matches(Entry entry) {
        return (jobId == null || jobId == entry.jobId())
                && matches(outputType, entry.outputType())
                && matches(jobType, entry.jobType())
                && matches(dataId, entry.dataId())
                && matches(processorName, entry.processorName())
                && matches(clusterType, entry.clusterType())
                && matches(clusterId, entry.clusterId());
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || Objects.equals(wanted, actual);
    }
}
