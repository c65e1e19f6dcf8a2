package io.queueview.query;

import io.queueview.store.QueueCountsStore;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The local stores of the partition that holds a queue, and that partition's number. */
public record QueuePartition(int partition,
                             ReadOnlyKeyValueStore<Bytes, byte[]> entries,
                             ReadOnlyKeyValueStore<Bytes, byte[]> index,
                             ReadOnlyKeyValueStore<Bytes, byte[]> counters,
                             ReadOnlyKeyValueStore<Bytes, byte[]> filterIndex,
                             QueueCountsStore counts) {
}
