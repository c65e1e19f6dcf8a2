package io.queueview.store;

import io.queueview.queue.Entry;

/**
 * The fields a list can be filtered by, and how the view serves each. A field whose values can be rare is
 * indexed: per value, its entries in queue order, so a filtered page walks only matches and the filtered total
 * is the index's size. A field of a few common values (a type) is counted per value: its total is read, and a
 * page finds its matches among the first entries of the queue. cluster_id alone (without its type) is neither:
 * the API asks for it together with cluster_type, which is indexed as one value.
 */
public enum FilterField {
    JOB_ID(Use.INDEXED), OUTPUT_TYPE(Use.COUNTED), JOB_TYPE(Use.COUNTED), DATA_ID(Use.INDEXED),
    PROCESSOR_NAME(Use.INDEXED), CLUSTER_TYPE(Use.COUNTED), CLUSTER_ID(Use.WALKED),
    /** cluster_type and cluster_id together, as the API asks for a MODELARTS cluster: one lookup, not two. */
    CLUSTER(Use.INDEXED);

    private enum Use { INDEXED, COUNTED, WALKED }

    private static final char CLUSTER_SEPARATOR = '\u0000';

    private final Use use;

    FilterField(Use use) {
        this.use = use;
    }

    public boolean indexed() {
        return use == Use.INDEXED;
    }

    public boolean counted() {
        return use == Use.COUNTED;
    }

    /** The entry's value of this field (a Long for job_id, else a String), or null when it has none. */
    public Object of(Entry entry) {
        return switch (this) {
            case JOB_ID -> entry.jobId();
            case OUTPUT_TYPE -> entry.outputType();
            case JOB_TYPE -> entry.jobType();
            case DATA_ID -> entry.dataId();
            case PROCESSOR_NAME -> entry.processorName();
            case CLUSTER_TYPE -> entry.clusterType();
            case CLUSTER_ID -> entry.clusterId();
            case CLUSTER -> cluster(entry.clusterType(), entry.clusterId());
        };
    }

    /** The CLUSTER value of a cluster type and id; null unless both are given. */
    public static String cluster(String type, String id) {
        return type == null || id == null ? null : type + CLUSTER_SEPARATOR + id;
    }
}
