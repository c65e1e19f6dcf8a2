package io.queueview.bench;

import java.util.List;

/**
 * What a target answered: the ids of the page in order and the total (for a position lookup: the entry's id,
 * and its position in total). Both targets must give equal answers for the same query.
 */
record Answer(List<Long> ids, long total) {
}
