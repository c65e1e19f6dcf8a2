package io.queueview.topology;

import io.queueview.command.AppliedCommand;
import io.queueview.command.AuditJson;
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
import io.queueview.queue.MoveRule;
import io.queueview.store.QueueCounters;
import io.queueview.store.QueueKeys;
import io.queueview.store.QueueState;
import io.queueview.store.QueueStores;
import io.queueview.store.QueuedEntry;
import io.queueview.store.RemovalMarker;
import io.queueview.store.WaitHistory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.metrics.Sensor;
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
    /** The removal reason the estimated wait counts: the scheduler handed the entry to a cluster. */
    private static final String DISPATCHED = "DISPATCHED";

    private final Duration markerTtl;
    private final String commandsTopic;
    private final WaitObserver waitObserver;
    private WaitHistory waits;
    private ProcessorContext<byte[], byte[]> context;
    private QueueState state;
    private TaskCounters counters;
    private Sensor eventsApplied;
    private Sensor eventsStale;
    private Sensor unknownUpdates;
    private final Map<CommandOutcome, Sensor> commandOutcomes = new EnumMap<>(CommandOutcome.class);
    private KeyValueStore<Bytes, byte[]> markers;
    private KeyValueStore<Bytes, byte[]> outcomes;

    QueueProjector(Duration markerTtl, String commandsTopic, WaitObserver waitObserver) {
        this.markerTtl = markerTtl;
        this.commandsTopic = commandsTopic;
        this.waitObserver = waitObserver;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        state = new QueueState(context);
        counters = new TaskCounters(context);
        eventsApplied = counters.counter("events-applied", "events that changed the view");
        eventsStale = counters.counter("events-stale", "events ignored: not newer than the version recorded");
        unknownUpdates = counters.counter("events-unknown-update", "JOB_UPDATED events of entries not queued");
        for (CommandOutcome outcome : CommandOutcome.values()) {
            commandOutcomes.put(outcome, counters.counter("commands-" + outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    "write commands whose outcome was " + outcome));
        }
        // init runs after the task's stores are restored
        long started = System.nanoTime();
        long entries = state.rebuildView();
        LOG.info("task {}: {} entries in memory in {} ms", context.taskId(), entries,
                (System.nanoTime() - started) / 1_000_000);
        markers = context.getStateStore(QueueStores.MARKERS);
        outcomes = context.getStateStore(QueueStores.OUTCOMES);
        waits = new WaitHistory(context.getStateStore(QueueStores.WAITS));
        Duration sweep = markerTtl.compareTo(LONGEST_SWEEP_INTERVAL) < 0 ? markerTtl : LONGEST_SWEEP_INTERVAL;
        context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    /**
     * The task stops being this partition's active one (closed, or recycled into a standby, which keeps its stores
     * open): its view is dropped and refuses reads, so a stale copy is never served: a standby's view would
     * otherwise go on answering with the queue as it was when the task stopped being active.
     */
    @Override
    public void close() {
        state.dropView();
        counters.close();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        boolean command = context.recordMetadata().map(RecordMetadata::topic).filter(commandsTopic::equals).isPresent();
        if (command) {
            applyCommand(record);
        } else {
            applyEvent(record, EventCodec.decode(record.value()));
        }
        state.applied(record.timestamp());
    }

    // ---- events ----

    private void applyEvent(Record<byte[], byte[]> record, QueueEvent event) {
        state.watch(event.queue(), record.timestamp());
        QueuedEntry queued = state.get(event.queue(), event.id());
        RemovalMarker marker = queued == null ? markerOf(markerKey(event)) : null;
        if (isStale(event, queued, marker)) {
            state.count(event.queue(), QueueCounters::plusStaleEvent);
            eventsStale.record();
        } else if (event instanceof JobEnqueued enqueued) {
            if (marker != null) {
                markers.delete(markerKey(event)); // a new stay in the queue
            }
            state.put(enqueued.entry(), event.version() != null ? event.version() : versionOf(queued),
                    record.timestamp());
            if (queued == null) { // a new stay: its time in queue runs from here (enqueued again, it keeps its own)
                waits.enqueued(event.queue(), event.id(), record.timestamp(), state.depth(event.queue()));
            }
            publish(record, ChangeJson.upsert(enqueued.entry(), event.version()));
            eventsApplied.record();
        } else if (event instanceof JobUpdated updated) {
            if (queued == null) {
                state.count(event.queue(), QueueCounters::plusUnknownUpdate);
                unknownUpdates.record();
                return;
            }
            Entry changed = updated.applyTo(queued.entry());
            state.put(changed, event.version() != null ? event.version() : queued.version(), record.timestamp());
            publish(record, ChangeJson.upsert(changed, event.version()));
            eventsApplied.record();
        } else {
            JobDequeued dequeued = (JobDequeued) event;
            if (event.version() != null) {
                long expiresAt = context.currentSystemTimeMs() + markerTtl.toMillis();
                markers.put(markerKey(event), new RemovalMarker(event.version(), expiresAt).toBytes());
            }
            if (queued != null) {
                boolean dispatched = DISPATCHED.equals(dequeued.reason());
                if (dispatched) {
                    Entry removed = state.remove(event.queue(), event.id());
                    // by record time, not this machine's clock: a replay counts the same dispatches at the same times
                    state.dispatched(removed, record.timestamp());
                } else {
                    state.removeUndispatched(event.queue(), event.id(), record.timestamp());
                }
                long wait = waits.removed(event.queue(), event.id(), record.timestamp(), dispatched,
                        state.depth(event.queue()));
                if (wait >= 0) {
                    waitObserver.dispatched(event.queue().type(), wait);
                }
                publish(record, ChangeJson.removal(dequeued));
            }
            if (queued != null || event.version() != null) { // a removal, or the marker of one before its entry
                eventsApplied.record();
            }
        }
    }

    private static Bytes markerKey(QueueEvent event) {
        return Bytes.wrap(QueueKeys.entry(event.queue(), event.id()));
    }

    /** Rule 2 and 3: a versioned event applies only over a smaller recorded version, queued or removed. */
    private static boolean isStale(QueueEvent event, QueuedEntry queued, RemovalMarker marker) {
        if (event.version() == null) {
            return false;
        }
        Long recorded = queued != null ? queued.version() : marker != null ? Long.valueOf(marker.version()) : null;
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
        Decision decision = command instanceof MoveEntry move ? move(move) : setPriority((SetPriority) command);
        commandOutcomes.get(decision.outcome()).record();
        decision.changes().forEach(changed -> reorder(record, changed));
        long now = context.currentSystemTimeMs();
        // Always written, even for "nothing to change": the store's position must pass this command's offset.
        outcomes.put(outcomeKey, new AppliedCommand(decision.outcome(), now).toBytes());
        // in the same transaction as the change itself: the audit trail has each applied command exactly once
        context.forward(record.withKey(AuditJson.key(command.queue()))
                .withValue(AuditJson.applied(command, decision.outcome(), decision.changes(), now)), QueueTopology.AUDIT_SINK);
    }

    /** What a command comes to: its outcome, and the entries it changes (listed before any is applied). */
    private record Decision(CommandOutcome outcome, List<Entry> changes) {
        static Decision nothing(CommandOutcome outcome) {
            return new Decision(outcome, List.of());
        }
    }

    private Decision move(MoveEntry move) {
        QueuedEntry queued = state.get(move.queue(), move.id());
        if (queued == null) {
            return Decision.nothing(CommandOutcome.NOT_FOUND);
        }
        try {
            return new Decision(CommandOutcome.APPLIED,
                    MoveRule.apply(queued.entry(), move.operation(), state.queue(move.queue())));
        } catch (MoveRule.NoRoom e) {
            return Decision.nothing(CommandOutcome.NO_ROOM);
        }
    }

    private Decision setPriority(SetPriority set) {
        List<Entry> changes = new ArrayList<>();
        for (long id : set.ids()) {
            QueuedEntry queued = state.get(set.queue(), id);
            if (queued == null) {
                return Decision.nothing(CommandOutcome.NOT_FOUND); // all or nothing: checked before anything changes
            }
            changes.add(queued.entry().withOrder(set.priority(), queued.entry().rankStamp()));
        }
        return new Decision(CommandOutcome.APPLIED, changes);
    }

    /** Moves an entry to its new order key, keeping its recorded version, and publishes the change. */
    private void reorder(Record<byte[], byte[]> record, Entry changed) {
        state.put(changed, state.get(changed.queue(), changed.id()).version(), record.timestamp());
        publish(record, ChangeJson.upsert(changed, null));
    }

    // ---- helpers ----

    private static Long versionOf(QueuedEntry queued) {
        return queued == null ? null : queued.version();
    }

    private void publish(Record<byte[], byte[]> cause, ChangeJson change) {
        context.forward(cause.withKey(change.key()).withValue(change.value()), QueueTopology.CHANGES_SINK);
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
