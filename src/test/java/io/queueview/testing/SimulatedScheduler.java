package io.queueview.testing;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A scheduler in event time: it queues entries, and takes the head out at a fixed pace, queueing a new entry at the
 * tail each time so the queue keeps its length. Its events carry the record time at which it sent them
 * ({@link Timed}), for a driver's {@code sendAt} or a producer's timestamp.
 */
public final class SimulatedScheduler {

    /** An event and its record time. */
    public record Timed(Instant at, EventJson event) {
    }

    private final String projectId;
    private final String queueType;
    private final Deque<Long> queued = new ArrayDeque<>();
    private Instant now;
    private long nextId = 1;

    public SimulatedScheduler(String projectId, String queueType, Instant start) {
        this.projectId = projectId;
        this.queueType = queueType;
        this.now = start;
    }

    /** The scheduler's clock: the record time of its latest event. */
    public Instant now() {
        return now;
    }

    /** Queues this many entries now, behind those queued (priority 0, rank_stamps in the order queued). */
    public List<Timed> enqueue(int entries) {
        List<Timed> events = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            events.add(enqueueOne());
        }
        return events;
    }

    /**
     * For this long, every {@code every}: the head leaves the queue with this reason (none when null) and a new
     * entry is queued; the first removal comes {@code every} from now.
     */
    public List<Timed> removeHeadEvery(Duration every, Duration span, String reason) {
        List<Timed> events = new ArrayList<>();
        Instant end = now.plus(span);
        while (!now.plus(every).isAfter(end)) {
            now = now.plus(every);
            EventJson removal = dequeued(projectId, queueType, queued.removeFirst());
            events.add(new Timed(now, reason == null ? removal : removal.with("reason", reason)));
            events.add(enqueueOne());
        }
        return events;
    }

    /** Lets time pass without events. */
    public void idle(Duration span) {
        now = now.plus(span);
    }

    /** The entries queued, head first. */
    public List<Long> queued() {
        return List.copyOf(queued);
    }

    private Timed enqueueOne() {
        long id = nextId++;
        queued.addLast(id);
        return new Timed(now, enqueued(projectId, queueType, id).with("rank_stamp", id));
    }
}
