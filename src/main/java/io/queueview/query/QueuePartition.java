package io.queueview.query;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The local stores of the partition that holds a queue. */
public record QueuePartition(ReadOnlyKeyValueStore<Bytes, byte[]> entries,
                             ReadOnlyKeyValueStore<Bytes, byte[]> counters) {
}
