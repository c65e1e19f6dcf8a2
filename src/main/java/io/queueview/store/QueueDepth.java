package io.queueview.store;

/**
 * How much one queue holds, for metrics: its entries and the smallest rank_stamp among them (the entry queued
 * longest; meaningless when there are no entries).
 */
public record QueueDepth(long entries, long oldestRankStamp) {
}
