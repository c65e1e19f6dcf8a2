package io.queueview.bench;

import io.queueview.query.EntryPosition;
import io.queueview.query.ListQuery;
import io.queueview.query.Page;
import io.queueview.query.QueueReader;
import java.util.List;
import java.util.Optional;

/** queueview's store layer, in process: the {@link QueueReader} the HTTP handlers call. */
final class StoreTarget implements QueryTarget {

    private final QueueReader reader;

    StoreTarget(QueueReader reader) {
        this.reader = reader;
    }

    @Override
    public String name() {
        return "queueview";
    }

    @Override
    public Answer run(BenchQuery query) {
        if (query.positionOf() != null) {
            Optional<EntryPosition> position = reader.entry(query.queue(), query.positionOf());
            return position.map(p -> new Answer(List.of(p.entry()), p.position()))
                    .orElse(new Answer(List.of(), 0));
        }
        Page page = reader.list(new ListQuery(query.queue(), query.filters(), query.limit(), query.offset()));
        return new Answer(page.entries(), page.total());
    }

    @Override
    public void close() {
    }
}
