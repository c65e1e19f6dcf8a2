package io.queueview.query;

import io.queueview.queue.QueueId;
import io.queueview.store.WaitBuckets;
import io.queueview.store.WaitHistory;
import io.queueview.store.WaitMinute;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads a queue's {@link WaitStats} off its minutes in the wait-statistics store. */
final class WaitStatsReader {

    private static final long HOUR_MINUTES = 60;

    private WaitStatsReader() {
    }

    /**
     * The statistics of the windows that end with now's minute (or the history's newest, when the clock is behind
     * the records).
     */
    static WaitStats read(ReadOnlyKeyValueStore<Bytes, byte[]> store, QueueId queue, Instant now) {
        long end = Math.floorDiv(now.toEpochMilli(), 60_000L);
        long dayStart = end - WaitHistory.MINUTES_KEPT + 1;
        List<KeyValue<Long, WaitMinute>> minutes = WaitHistory.minutes(store, queue, dayStart, Long.MAX_VALUE);
        if (!minutes.isEmpty()) {
            end = Math.max(end, minutes.get(minutes.size() - 1).key);
            dayStart = end - WaitHistory.MINUTES_KEPT + 1;
        }
        long first = minutes.isEmpty() ? end + 1 : Math.max(dayStart, minutes.get(0).key);
        return new WaitStats(window(minutes, end - HOUR_MINUTES + 1, end, first),
                window(minutes, dayStart, end, first), minutes.isEmpty() ? null : Instant.ofEpochSecond(first * 60),
                minutes.isEmpty() ? List.of() : depths(minutes, first, end));
    }

    /** The window [from, to] in minutes, shortened to start at the history's first minute. */
    private static WaitStats.Window window(List<KeyValue<Long, WaitMinute>> minutes, long from, long to, long first) {
        long start = Math.max(from, first);
        long length = Math.max(0, to - start + 1);
        long dispatched = 0;
        long[] waits = new long[WaitBuckets.COUNT];
        for (KeyValue<Long, WaitMinute> minute : minutes) {
            if (minute.key >= start && minute.key <= to) {
                dispatched += minute.value.dispatched();
                for (int bucket = 0; bucket < WaitBuckets.COUNT; bucket++) {
                    waits[bucket] += minute.value.waitsIn(bucket);
                }
            }
        }
        long timed = 0;
        for (long count : waits) {
            timed += count;
        }
        double perMinute = length == 0 ? 0 : Math.round(dispatched * 100.0 / length) / 100.0;
        WaitStats.Percentiles percentiles = timed == 0 ? null : new WaitStats.Percentiles(
                percentile(waits, timed, 0.50), percentile(waits, timed, 0.90), percentile(waits, timed, 0.99));
        return new WaitStats.Window(length * 60, dispatched, perMinute, timed, percentiles);
    }

    /** The upper bound of the bucket that holds the q-th of the timed dispatches (the nearest-rank method). */
    private static double percentile(long[] waits, long timed, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * timed));
        long seen = 0;
        for (int bucket = 0; bucket < waits.length; bucket++) {
            seen += waits[bucket];
            if (seen >= rank) {
                return Math.round(WaitBuckets.upperSeconds(bucket) * 1000) / 1000.0;
            }
        }
        throw new IllegalStateException("the buckets hold fewer waits than counted");
    }

    /** The depth at the end of each minute from first to end: a minute without changes keeps the depth before it. */
    private static List<Long> depths(List<KeyValue<Long, WaitMinute>> minutes, long first, long end) {
        List<Long> depths = new ArrayList<>((int) (end - first + 1));
        int next = 0;
        long depth = 0;
        for (long minute = first; minute <= end; minute++) {
            while (next < minutes.size() && minutes.get(next).key <= minute) {
                depth = minutes.get(next++).value.depth();
            }
            depths.add(depth);
        }
        return List.copyOf(depths);
    }
}
