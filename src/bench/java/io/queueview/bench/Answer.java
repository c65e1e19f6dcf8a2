package io.queueview.bench;

import io.queueview.queue.Entry;
import java.util.List;

/**
 * What a target answered: the entries of the page in order, whole as the API returns them, and the total (for a
 * position lookup: the entry, and its position in total). Both targets must give equal answers for the same query.
 */
record Answer(List<Entry> entries, long total) {
}
