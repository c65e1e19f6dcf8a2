package io.queueview.topology;

import io.queueview.command.CommandJson;
import io.queueview.command.CommandOutcome;
import io.queueview.command.MoveEntry;
import io.queueview.command.QueueCommand;
import io.queueview.command.SetPriority;
import io.queueview.event.JobDequeued;
import io.queueview.event.JobEnqueued;
import io.queueview.event.JobUpdated;
import io.queueview.event.QueueEvent;
import io.queueview.queue.Entry;
import io.queueview.queue.Placement;
import io.queueview.queue.QueueId;
import io.queueview.store.AppliedCommand;
import io.queueview.store.EntryCodec;
import io.queueview.store.EntryPlace;
import io.queueview.store.EventCodec;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueStores;
import io.queueview.store.RemovalMarker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the events (EVENTS.md rules 1–4) and the commands of the queues of one partition into the stores, in
 * the order the partition's records are read, and publishes every applied change on queue-changes.
 * Events come from the repartition topic ({@link EventCodec} values), commands from queue-commands (JSON).
 */
final class QueueProjector implements Processor<byte[], byte[], byte[], byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(QueueProjector.class);
    private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** How long a command's outcome stays readable for its caller (who waits seconds at most). */
    static final Duration OUTCOME_RETENTION = Duration.ofMinutes(10);

    private final Duration markerTtl;
    private final String commandsTopic;
    private final boolean exactlyOnce;
    private ProcessorContext<byte[], byte[]> context;
    private QueueState state;
    private KeyValueStore<Bytes, byte[]> entries;
    private KeyValueStore<Bytes, byte[]> markers;
    private KeyValueStore<Bytes, byte[]> outcomes;

    QueueProjector(Duration markerTtl, String commandsTopic, boolean exactlyOnce) {
        this.markerTtl = markerTtl;
        this.commandsTopic = commandsTopic;
        this.exactlyOnce = exactlyOnce;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        state = new QueueState(context);
        entries = state.entries();
        // init runs after the task's stores are restored
        long started = System.nanoTime();
        QueueState.Rebuild rebuild = state.rebuildDerived(!exactlyOnce);
        LOG.info("task {}: counted {} entries{} in {} ms", context.taskId(), rebuild.entries(),
                rebuild.filterIndexBuilt() ? " and built their filter index" : "", (System.nanoTime() - started) / 1_000_000);
        markers = context.getStateStore(QueueStores.MARKERS);
        outcomes = context.getStateStore(QueueStores.OUTCOMES);
        Duration sweep = markerTtl.compareTo(LONGEST_SWEEP_INTERVAL) < 0 ? markerTtl : LONGEST_SWEEP_INTERVAL;
        context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        state.recordGeneration();
        boolean command = context.recordMetadata().map(RecordMetadata::topic).filter(commandsTopic::equals).isPresent();
        if (command) {
            applyCommand(record);
        } else {
            applyEvent(record, EventCodec.decode(record.value()));
        }
    }

    // ---- events ----

    private void applyEvent(Record<byte[], byte[]> record, QueueEvent event) {
        Bytes entryKey = Bytes.wrap(QueueKeys.entry(event.queue(), event.id()));
        EntryPlace place = state.placeOf(event.queue(), event.id());
        RemovalMarker marker = place == null ? markerOf(entryKey) : null;
        if (isStale(event, place, marker)) {
            state.count(event.queue(), QueueCounters::plusStaleEvent);
        } else if (event instanceof JobEnqueued enqueued) {
            if (place != null) {
                state.remove(event.queue(), event.id(), place);
            } else {
                state.count(event.queue(), c -> c.plusEntries(1));
            }
            if (marker != null) {
                markers.delete(entryKey); // a new stay in the queue
            }
            state.put(enqueued.entry(), event.version() != null ? event.version() : versionOf(place));
            publish(record, ChangeJson.upsert(enqueued.entry(), event.version()));
        } else if (event instanceof JobUpdated updated) {
            if (place == null) {
                state.count(event.queue(), QueueCounters::plusUnknownUpdate);
                return;
            }
            Entry changed = updated.applyTo(state.remove(event.queue(), event.id(), place));
            state.put(changed, event.version() != null ? event.version() : place.version());
            publish(record, ChangeJson.upsert(changed, event.version()));
        } else {
            JobDequeued dequeued = (JobDequeued) event;
            if (event.version() != null) {
                long expiresAt = context.currentSystemTimeMs() + markerTtl.toMillis();
                markers.put(entryKey, new RemovalMarker(event.version(), expiresAt).toBytes());
            }
            if (place != null) {
                state.remove(event.queue(), event.id(), place);
                state.count(event.queue(), c -> c.plusEntries(-1));
                publish(record, ChangeJson.removal(dequeued));
            }
        }
    }

    /** Rule 2 and 3: a versioned event applies only over a smaller recorded version, queued or removed. */
    private static boolean isStale(QueueEvent event, EntryPlace place, RemovalMarker marker) {
        if (event.version() == null) {
            return false;
        }
        Long recorded = place != null ? place.version() : marker != null ? Long.valueOf(marker.version()) : null;
        return recorded != null && event.version() <= recorded;
    }

    private RemovalMarker markerOf(Bytes entryKey) {
        byte[] bytes = markers.get(entryKey);
        return bytes == null ? null : RemovalMarker.fromBytes(bytes);
    }

    // ---- commands ----

    private void applyCommand(Record<byte[], byte[]> record) {
        QueueCommand command;
        try {
            command = CommandJson.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("skipped a record of {} that is not a queue command: {}", commandsTopic, e.getMessage());
            return;
        }
        Bytes outcomeKey = Bytes.wrap(command.commandId().getBytes(StandardCharsets.UTF_8));
        if (outcomes.get(outcomeKey) != null) {
            return; // delivered again: it was applied once, and its outcome stands
        }
        CommandOutcome outcome = command instanceof MoveEntry move ? move(record, move)
                : setPriority(record, (SetPriority) command);
        // Always written, even for "nothing to change": the store's position must pass this command's offset.
        outcomes.put(outcomeKey, new AppliedCommand(outcome, context.currentSystemTimeMs()).toBytes());
    }

    private CommandOutcome move(Record<byte[], byte[]> record, MoveEntry move) {
        QueueId queue = move.queue();
        EntryPlace place = state.placeOf(queue, move.id());
        if (place == null) {
            return CommandOutcome.NOT_FOUND;
        }
        Bytes movedKey = QueueState.orderKey(queue, place.priority(), place.rankStamp(), move.id());
        Entry moved = state.get(queue, move.id(), place);
        Function<Entry, Entry> before = e -> neighbour(queue, orderKey(e), movedKey, true);
        Function<Entry, Entry> after = e -> neighbour(queue, orderKey(e), movedKey, false);
        Entry previous;
        Entry next;
        switch (move.operation()) {
            case MOVE_TOP -> {
                previous = null;
                next = before.apply(moved) == null ? null : first(queue, movedKey);
            }
            case MOVE_UP -> {
                next = before.apply(moved);
                previous = next == null ? null : before.apply(next);
            }
            case MOVE_DOWN -> {
                previous = after.apply(moved);
                next = previous == null ? null : after.apply(previous);
            }
            default -> {
                next = null;
                previous = after.apply(moved) == null ? null : last(queue, movedKey);
            }
        }
        if (previous == null && next == null) {
            return CommandOutcome.APPLIED; // the head up, the tail down, or a queue of one: nothing to change
        }
        Bytes nextKey = next == null ? null : orderKey(next);
        try (KeyValueIterator<Bytes, byte[]> later = next == null ? null
                : entries.range(nextKey, Bytes.wrap(QueueKeys.lastOrder(queue)))) {
            List<Entry> changes = Placement.between(moved, previous, next, entriesAfter(queue, later, nextKey, movedKey));
            for (Entry changed : changes) {
                reorder(record, changed);
            }
            return CommandOutcome.APPLIED;
        } catch (Placement.NoRoom e) {
            return CommandOutcome.NO_ROOM;
        }
    }

    private CommandOutcome setPriority(Record<byte[], byte[]> record, SetPriority set) {
        List<Entry> changes = new ArrayList<>();
        for (long id : set.ids()) {
            EntryPlace place = state.placeOf(set.queue(), id);
            if (place == null) {
                return CommandOutcome.NOT_FOUND; // all or nothing: checked before anything changes
            }
            Entry entry = state.get(set.queue(), id, place);
            changes.add(entry.withOrder(set.priority(), entry.rankStamp()));
        }
        changes.forEach(changed -> reorder(record, changed));
        return CommandOutcome.APPLIED;
    }

    /** Moves an entry to its new order key, keeping its recorded version, and publishes the change. */
    private void reorder(Record<byte[], byte[]> record, Entry changed) {
        EntryPlace place = state.placeOf(changed.queue(), changed.id());
        state.remove(changed.queue(), changed.id(), place);
        state.put(changed, place.version());
        publish(record, ChangeJson.upsert(changed, null));
    }

    /** The entry just before (or after) the one at key, skipping the entry being moved; null at the end. */
    private Entry neighbour(QueueId queue, Bytes key, Bytes skipped, boolean before) {
        Bytes from = before ? Bytes.wrap(QueueKeys.queue(queue)) : key;
        Bytes to = before ? key : Bytes.wrap(QueueKeys.lastOrder(queue));
        try (KeyValueIterator<Bytes, byte[]> scan = before ? entries.reverseRange(from, to) : entries.range(from, to)) {
            while (scan.hasNext()) {
                KeyValue<Bytes, byte[]> next = scan.next();
                if (!next.key.equals(key) && !next.key.equals(skipped)) {
                    return EntryCodec.decode(queue, next.value);
                }
            }
            return null;
        }
    }

    private Entry first(QueueId queue, Bytes skipped) {
        return neighbour(queue, Bytes.wrap(QueueKeys.queue(queue)), skipped, false);
    }

    private Entry last(QueueId queue, Bytes skipped) {
        return neighbour(queue, Bytes.wrap(QueueKeys.lastOrder(queue)), skipped, true);
    }

    /** The entries after 'after' in a range scan, skipping the one being moved. */
    private static Iterator<Entry> entriesAfter(QueueId queue, KeyValueIterator<Bytes, byte[]> scan, Bytes after,
                                                Bytes skipped) {
        if (scan == null) {
            return Collections.emptyIterator();
        }
        return new Iterator<>() {
            private Entry next = advance();

            private Entry advance() {
                while (scan.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = scan.next();
                    if (!kv.key.equals(after) && !kv.key.equals(skipped)) {
                        return EntryCodec.decode(queue, kv.value);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Entry next() {
                Entry current = next;
                next = advance();
                return current;
            }
        };
    }

    // ---- helpers ----

    private static Long versionOf(EntryPlace place) {
        return place == null ? null : place.version();
    }

    private static Bytes orderKey(Entry entry) {
        return QueueState.orderKey(entry.queue(), entry.priority(), entry.rankStamp(), entry.id());
    }

    private void publish(Record<byte[], byte[]> cause, ChangeJson change) {
        context.forward(cause.withKey(change.key()).withValue(change.value()));
    }

    private void forgetExpired(long now) {
        deleteWhere(markers, value -> RemovalMarker.fromBytes(value).expiresAt() <= now);
        long oldest = now - OUTCOME_RETENTION.toMillis();
        deleteWhere(outcomes, value -> AppliedCommand.fromBytes(value).appliedAt() <= oldest);
    }

    private static void deleteWhere(KeyValueStore<Bytes, byte[]> store, Predicate<byte[]> expired) {
        List<Bytes> doomed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> next = all.next();
                if (expired.test(next.value)) {
                    doomed.add(next.key);
                }
            }
        }
        doomed.forEach(store::delete);
    }
}
