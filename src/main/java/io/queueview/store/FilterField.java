package io.queueview.store;

import io.queueview.queue.Entry;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fields a list can be filtered by. A field whose values can be rare has a secondary index per queue (value →
 * entries in queue order), so a filtered page walks only matching entries; a field with a count per value has its
 * filtered total read, not counted. Fields of a few common values (a type) are counted but not indexed: a page
 * finds its matches within the first entries of the queue. job_id is indexed but not counted: it is nearly unique.
 * The enumerated fields (a handful of values each, listed by the API) are also counted together with each other
 * counted field but data_id, so the total of two such filters is read too: without it, a type and a cluster walked
 * every entry of the cluster to count (slower than PostgreSQL on the benchmark).
 * Measured on the benchmark: each index costs a RocksDB write of the whole entry per event.
 * The code is the field's byte in index keys: never reuse one.
 */
public enum FilterField {
    JOB_ID(1, true, false), OUTPUT_TYPE(2, false, true), JOB_TYPE(3, false, true), DATA_ID(4, true, true),
    PROCESSOR_NAME(5, true, true), CLUSTER_TYPE(6, false, true), CLUSTER_ID(7, false, true),
    /** cluster_type and cluster_id together, as the API asks for a MODELARTS cluster: one lookup, not two. */
    CLUSTER(8, true, true);

    private static final Set<FilterField> ENUMERATED = EnumSet.of(OUTPUT_TYPE, JOB_TYPE, CLUSTER_TYPE);

    private static final char CLUSTER_SEPARATOR = '\u0000';

    private final byte code;
    private final boolean indexed;
    private final boolean counted;

    FilterField(int code, boolean indexed, boolean counted) {
        this.code = (byte) code;
        this.indexed = indexed;
        this.counted = counted;
    }

    public boolean indexed() {
        return indexed;
    }

    public boolean counted() {
        return counted;
    }

    public byte code() {
        return code;
    }

    /** Whether the entries matching both a value of this field and one of the other are counted. */
    public boolean countedWith(FilterField other) {
        return this != other && counted && other.counted && this != DATA_ID && other != DATA_ID
                && (ENUMERATED.contains(this) || ENUMERATED.contains(other));
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
