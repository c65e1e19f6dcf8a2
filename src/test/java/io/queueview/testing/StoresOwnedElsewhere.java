package io.queueview.testing;

import io.queueview.query.InstanceAddress;
import io.queueview.query.LocalStores;
import io.queueview.query.OwnedElsewhere;
import io.queueview.query.QueuePartition;
import io.queueview.queue.QueueId;
import java.util.function.Supplier;

/**
 * The stores of an instance that owns no queue: every queue's owner is the instance at the address given, asked on
 * every call (a test may point it elsewhere). Tests extend it to say more, standbys for one.
 */
public class StoresOwnedElsewhere implements LocalStores {

    private final Supplier<InstanceAddress> owner;

    public StoresOwnedElsewhere(Supplier<InstanceAddress> owner) {
        this.owner = owner;
    }

    /** The owner of every queue, as now given. */
    protected final InstanceAddress owner() {
        return owner.get();
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public long lag(int partition) {
        return 0;
    }

    @Override
    public QueuePartition partitionOf(QueueId queue) {
        InstanceAddress address = owner();
        throw new OwnedElsewhere(address, "queue " + queue + " is owned by instance " + address);
    }
}
