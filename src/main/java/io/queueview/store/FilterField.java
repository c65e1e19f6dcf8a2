package io.queueview.store;

import io.queueview.queue.Entry;

/**
 * The fields a list can be filtered by, each with a secondary index per queue (value → entries in queue order)
 * and a count per value, so a filtered page walks only matching entries and a filtered total is read.
 * The code is the field's byte in index keys: never reuse one.
 */
public enum FilterField {
    JOB_ID(1), OUTPUT_TYPE(2), JOB_TYPE(3), DATA_ID(4), PROCESSOR_NAME(5), CLUSTER_TYPE(6), CLUSTER_ID(7),
    /** cluster_type and cluster_id together, as the API asks for a MODELARTS cluster: one lookup, not two. */
    CLUSTER(8);

    private static final char CLUSTER_SEPARATOR = '\u0000';

    private final byte code;

    FilterField(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The entry's value of this field as indexed, or null when it has none. */
    public String of(Entry entry) {
        return switch (this) {
            case JOB_ID -> Long.toString(entry.jobId());
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
