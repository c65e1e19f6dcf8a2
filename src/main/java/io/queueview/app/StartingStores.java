package io.queueview.app;

import io.queueview.query.ClusterState;
import io.queueview.query.LocalStores;
import io.queueview.query.QueueCopy;
import io.queueview.query.QueuePartition;
import io.queueview.query.QueuePlacement;
import io.queueview.query.QueueUnavailable;
import io.queueview.queue.QueueId;
import io.queueview.store.QueueDepth;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The view's stores as the HTTP server sees them from its start: "starting" until Kafka Streams, which needs the
 * server's port first, is attached.
 */
final class StartingStores implements LocalStores {

    private final AtomicReference<LocalStores> attached;

    StartingStores(AtomicReference<LocalStores> attached) {
        this.attached = attached;
    }

    @Override
    public boolean ready() {
        LocalStores stores = attached.get();
        return stores != null && stores.ready();
    }

    @Override
    public String waitingFor() {
        LocalStores stores = attached.get();
        return stores == null ? "starting" : stores.waitingFor();
    }

    @Override
    public QueuePartition partitionOf(QueueId queue) {
        return started().partitionOf(queue);
    }

    @Override
    public QueuePlacement placement(QueueId queue) {
        return started().placement(queue);
    }

    @Override
    public QueueCopy copyOf(QueueId queue) {
        return started().copyOf(queue);
    }

    private LocalStores started() {
        LocalStores stores = attached.get();
        if (stores == null) {
            throw new QueueUnavailable("the view is starting; retry shortly");
        }
        return stores;
    }

    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> waitHistory(int partition) {
        LocalStores stores = attached.get();
        if (stores == null) {
            throw new QueueUnavailable("the view is starting; retry shortly");
        }
        return stores.waitHistory(partition);
    }

    @Override
    public Map<QueueId, QueueDepth> depths() {
        LocalStores stores = attached.get();
        return stores == null ? Map.of() : stores.depths();
    }

    @Override
    public long lag(int partition) {
        LocalStores stores = attached.get();
        return stores == null ? -1 : stores.lag(partition);
    }

    @Override
    public ClusterState cluster() {
        LocalStores stores = attached.get();
        return stores == null ? LocalStores.super.cluster() : stores.cluster();
    }
}
