package io.queueview.query;

import io.queueview.queue.Entry;
import java.util.List;

/**
 * One page of a queue in queue order; total counts every entry that matches the filters (wherever the page starts).
 *
 * @param offset null when the page continues after a place (a page token): where it starts is not counted
 * @param more   true when matching entries follow the page's last
 * @param waits  one estimated wait per entry, or empty when the page carries none: the queue has no pace to go by,
 *               or the page is filtered (its entries' places in the list are not their positions in the queue)
 */
public record Page(List<Entry> entries, long total, Integer offset, int limit, boolean more, List<WaitEstimate> waits) {

    public Page {
        if (!waits.isEmpty() && waits.size() != entries.size()) {
            throw new IllegalArgumentException("one wait per entry, or none");
        }
    }
}
