package io.queueview.query;

import java.util.List;

/**
 * Where a queue's partition lives, seen from this instance: what routing decides on before a call is answered.
 *
 * @param partition   the queue's partition
 * @param activeHere  this instance is the partition's active owner
 * @param active      the active owner when it is another instance; null when it is this one or not known (the
 *                    group is rebalancing)
 * @param standbyHere this instance holds a standby copy of the partition's stores
 * @param standbys    the other instances holding standby copies, as last known
 */
public record QueuePlacement(int partition, boolean activeHere, InstanceAddress active, boolean standbyHere,
                             List<InstanceAddress> standbys) {

    public QueuePlacement {
        standbys = List.copyOf(standbys);
    }

    public static QueuePlacement here(int partition) {
        return new QueuePlacement(partition, true, null, false, List.of());
    }

    public static QueuePlacement elsewhere(int partition, InstanceAddress active) {
        return new QueuePlacement(partition, false, active, false, List.of());
    }
}
