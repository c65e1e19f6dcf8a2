package io.queueview.query;

import io.queueview.queue.QueueId;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import io.queueview.store.QueueViewStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds a queue's stores through Kafka Streams: which partition holds the queue (the repartition topic's key is
 * the queue key), whether this instance is its active owner, and that partition's local stores. The stores of
 * the partitions this instance owns are kept until the next state change: asking Kafka Streams on every call
 * serializes all HTTP threads on one lock (seen in a thread dump under load).
 */
public final class StreamsLocalStores implements LocalStores {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final int partitions;
    private final Map<Integer, QueuePartition> owned = new ConcurrentHashMap<>();

    public StreamsLocalStores(KafkaStreams streams, HostInfo self, int partitions) {
        this.streams = streams;
        this.self = self;
        this.partitions = partitions;
    }

    /** Call on every state change of the Kafka Streams instance: ownership may have moved. */
    public void stateChanged() {
        owned.clear();
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public QueuePartition partitionOf(QueueId queue) {
        if (!ready()) {
            throw new QueueUnavailable("the view is not ready (" + streams.state().name().toLowerCase()
                    + "); retry shortly");
        }
        byte[] key = QueueKeys.queue(queue);
        // the default partitioner's choice for the repartition topic, whose key this is
        QueuePartition known = owned.get(Utils.toPositive(Utils.murmur2(key)) % partitions);
        return known != null ? known : lookUp(queue, key);
    }

    private QueuePartition lookUp(QueueId queue, byte[] key) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(QueueStores.ENTRIES, key, Serdes.ByteArray().serializer());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw new QueueUnavailable("the owner of queue " + queue + " is not known yet (rebalancing); retry shortly");
        }
        if (!self.equals(owner.activeHost())) {
            throw new QueueUnavailable("queue " + queue + " is owned by instance " + owner.activeHost().host() + ":"
                    + owner.activeHost().port() + ", and forwarding between instances is not supported yet");
        }
        int partition = owner.partition();
        try {
            QueuePartition stores = new QueuePartition(partition, streams.store(StoreQueryParameters
                    .fromNameAndType(QueueStores.VIEW, QueueViewStore.TYPE).withPartition(partition)));
            if (streams.state() == KafkaStreams.State.RUNNING) {
                owned.put(partition, stores);
            }
            return stores;
        } catch (InvalidStateStoreException e) {
            throw new QueueUnavailable("the stores of queue " + queue + " are not queryable now (" + e.getMessage()
                    + "); retry shortly");
        }
    }
}
