package io.queueview.queue;

/**
 * Where a job runs (API.md's cluster_type).
 * The words this version knows: the list call accepts only these as a filter. Entries keep the text the
 * scheduler sent, so a word a newer scheduler adds is shown, not lost.
 */
public enum ClusterType {
    CCE, MODELARTS
}
