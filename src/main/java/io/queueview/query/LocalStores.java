package io.queueview.query;

import io.queueview.queue.QueueId;
import io.queueview.store.QueueDepth;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Where this instance finds a queue's stores: Kafka Streams in the service, a test driver in tests. */
public interface LocalStores {

    /** True when the view can answer lists (not starting, restoring or rebalancing). */
    boolean ready();

    /** What the view waits for while it is not ready, in words (for /health/ready and the log). */
    default String waitingFor() {
        return "starting, restoring or rebalancing";
    }

    /**
     * The stores holding this queue, when this instance is its active owner.
     *
     * @throws OwnedElsewhere    when another instance is the queue's active owner
     * @throws QueueUnavailable  when nobody can answer for the queue here now (starting, restoring, rebalancing)
     */
    QueuePartition partitionOf(QueueId queue);

    /**
     * Where the queue's partition lives, seen from here: for routing a call before it is answered. By default from
     * {@link #partitionOf}: here, or with another active owner, without standbys.
     *
     * @throws QueueUnavailable when nobody can say now (starting, stopping)
     */
    default QueuePlacement placement(QueueId queue) {
        try {
            return QueuePlacement.here(partitionOf(queue).partition());
        } catch (OwnedElsewhere elsewhere) {
            return QueuePlacement.elsewhere(-1, elsewhere.owner());
        }
    }

    /**
     * The queue as a copy of its partition's stores held here holds it — a standby's, or the last one built while the
     * partition moves here — for reads while the owner cannot answer. None by default.
     *
     * @throws QueueUnavailable when this instance holds no copy of the queue's partition
     */
    default QueueCopy copyOf(QueueId queue) {
        throw new QueueUnavailable("no copy of queue " + queue + " is held here; retry shortly");
    }

    /**
     * The wait-statistics store of a partition this instance owns ({@link #partitionOf} said so), read-only.
     *
     * @throws QueueUnavailable when it cannot be read now (its partition is moving), or never (by default: stores
     *                          that keep no wait statistics, such as tests' stand-ins)
     */
    default ReadOnlyKeyValueStore<Bytes, byte[]> waitHistory(int partition) {
        throw new QueueUnavailable("no wait statistics are kept here");
    }

    /** How many entries each queue this instance owns holds: for metrics. */
    default Map<QueueId, QueueDepth> depths() {
        return Map.of();
    }

    /**
     * Records of a partition's input not yet applied here, as last seen; -1 when not known. No default: a wrapper
     * that forgot to pass it on answered 0 for ever.
     */
    long lag(int partition);

    /** The instances this one knows and the partitions each holds; a lone instance by default. */
    default ClusterState cluster() {
        return new ClusterState(null, ready() ? "RUNNING" : "STARTING", List.of(), Map.of(), Map.of());
    }
}
