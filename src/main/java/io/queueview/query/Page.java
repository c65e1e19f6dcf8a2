package io.queueview.query;

import io.queueview.queue.Entry;
import java.util.List;

/** One page of a queue in queue order; total counts every entry that matches the filters. */
public record Page(List<Entry> entries, long total, int offset, int limit) {
}
