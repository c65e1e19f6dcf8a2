package io.queueview.changes;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One change stream's view of a queue: the changes it has yet to send, in a bounded buffer. The change log adds to
 * it and never waits; when the stream falls further behind than the buffer holds, the follower is marked as
 * overflowed and gets nothing more: the stream ends, telling its client to reload.
 */
public final class QueueFollower implements AutoCloseable {

    /**
     * Put in place of the changes when the follower overflows or is closed, to wake a stream waiting for the next
     * one: it would otherwise sleep until its heartbeat before it noticed.
     */
    private static final QueueChange WAKE_UP = new QueueChange(0, -1, "", new byte[0]);

    private final ChangeLog log;
    private final String queueKey;
    private final boolean resumed;
    private final String startId;
    private final long fromOffset;
    private final BlockingQueue<QueueChange> pending;
    private volatile boolean overflowed;
    private volatile boolean closed;

    /** @param fromOffset the first offset to send: older changes read later (a feed behind its client's) are not */
    QueueFollower(ChangeLog log, String queueKey, boolean resumed, String startId, long fromOffset, int capacity) {
        this.log = log;
        this.queueKey = queueKey;
        this.resumed = resumed;
        this.startId = startId;
        this.fromOffset = fromOffset;
        this.pending = new ArrayBlockingQueue<>(capacity);
    }

    String queueKey() {
        return queueKey;
    }

    /** False when the stream cannot go on from where the client asked (too old, or not this queue's): reload. */
    public boolean resumable() {
        return startId != null;
    }

    /** Whether the stream picks up after a Last-Event-ID (else it starts at the latest change). */
    public boolean resumed() {
        return resumed;
    }

    /** The id of the point the stream starts from. */
    public String startId() {
        return startId;
    }

    /** Called by the change log only; never blocks. */
    void offer(QueueChange change) {
        if (closed || change.offset() < fromOffset) {
            return;
        }
        if (!overflowed && !pending.offer(change)) {
            overflowed = true;
            pending.clear(); // nothing of it will be sent: the client must reload
            pending.offer(WAKE_UP);
        }
    }

    /** The next change, or null when none came within the wait (or the follower overflowed or was closed). */
    public QueueChange next(Duration wait) throws InterruptedException {
        if (overflowed || closed) {
            return null;
        }
        QueueChange next = pending.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        return next == WAKE_UP ? null : next;
    }

    /** True once it fell behind by more than its buffer: what it would send next is lost. */
    public boolean overflowed() {
        return overflowed;
    }

    /** True once it was closed (the service is stopping). */
    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        log.unfollow(this);
        pending.clear();
        pending.offer(WAKE_UP);
    }
}
