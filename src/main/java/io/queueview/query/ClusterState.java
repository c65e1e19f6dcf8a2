package io.queueview.query;

import java.util.List;
import java.util.Map;

/**
 * What this instance knows of the instances sharing its application id: for /health/cluster. Partitions are those
 * of the queues (the repartition topic's); lag is records of a local store's changelog not yet applied here.
 *
 * @param self      this instance
 * @param state     this instance's Kafka Streams state (RUNNING, REBALANCING, ...)
 * @param instances every instance this one knows, with the partitions each holds
 * @param localLags per partition held here: records behind, over its stores (0 for an active, caught-up one)
 * @param views     per partition active here: how fresh its view is (as list answers say in meta_info.view)
 */
public record ClusterState(InstanceAddress self, String state, List<Instance> instances, Map<Integer, Long> localLags,
                           Map<Integer, ViewFreshness> views) {

    /** One instance and the partitions it holds, active and standby. */
    public record Instance(InstanceAddress address, List<Integer> active, List<Integer> standby) {
    }
}
