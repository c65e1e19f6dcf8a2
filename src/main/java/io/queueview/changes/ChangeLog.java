package io.queueview.changes;

import io.queueview.queue.QueueId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * The latest changes of each partition of the changes topic, and the streams following its queues. One thread
 * (the feed) appends in offset order; streams start following at any time. A partition keeps its last
 * {@code replayable} changes, so that a stream resuming after a disconnect gets what it missed — or, when it
 * missed more than that, is told to reload. Appending to a follower never waits: a slow stream overflows.
 */
public final class ChangeLog {

    private final int replayable;
    private final int followerCapacity;
    private final Partition[] partitions;
    private final Map<String, Set<QueueFollower>> followers = new ConcurrentHashMap<>();

    /**
     * @param partitions       the changes topic's partition count
     * @param replayable       changes kept per partition for streams that resume
     * @param followerCapacity changes a stream may fall behind by before it is cut off
     */
    public ChangeLog(int partitions, int replayable, int followerCapacity) {
        this.replayable = replayable;
        this.followerCapacity = followerCapacity;
        this.partitions = new Partition[partitions];
        for (int i = 0; i < partitions; i++) {
            this.partitions[i] = new Partition();
        }
    }

    /** The partition of the changes topic a queue's changes are on: the producer's default for its key. */
    public int partitionOf(QueueId queue) {
        return Utils.toPositive(Utils.murmur2(queue.toString().getBytes(StandardCharsets.UTF_8))) % partitions.length;
    }

    /** Where the feed starts reading a partition: every change from there on will be appended. */
    public void startAt(int partition, long offset) {
        Partition part = partitions[partition];
        synchronized (part) {
            part.recent.clear();
            part.coveredFrom = offset;
            part.next = offset;
        }
    }

    /** The feed read this change (offsets increase within a partition). */
    public void append(QueueChange change) {
        Partition part = partitions[change.partition()];
        synchronized (part) {
            part.recent.addLast(change);
            if (part.recent.size() > replayable) {
                part.coveredFrom = part.recent.removeFirst().offset() + 1;
            }
            part.next = change.offset() + 1;
            Set<QueueFollower> following = followers.get(change.queueKey());
            if (following != null) {
                following.forEach(follower -> follower.offer(change));
            }
        }
    }

    /** The feed's position moved past offsets that hold no change (transaction markers, aborted records). */
    public void readUpTo(int partition, long nextOffset) {
        Partition part = partitions[partition];
        synchronized (part) {
            part.next = Math.max(part.next, nextOffset);
        }
    }

    /**
     * Starts following a queue: from the latest change when {@code lastEventId} is null, else right after the change
     * it names, sending first what the partition still holds after it. A follower that cannot resume there (the id is
     * older than what is kept, of another partition, or not an id of ours) is returned not {@link
     * QueueFollower#resumable()}.
     */
    public QueueFollower follow(QueueId queue, String lastEventId) {
        int partition = partitionOf(queue);
        Partition part = partitions[partition];
        String key = queue.toString();
        synchronized (part) { // no change is appended between the replay and the follower's registration
            if (lastEventId == null) {
                return register(new QueueFollower(this, key, false, ResumePoint.of(partition, part.next), part.next,
                        followerCapacity));
            }
            ResumePoint from = ResumePoint.parse(lastEventId);
            if (from == null || from.partition() != partition || from.nextOffset() < part.coveredFrom) {
                return new QueueFollower(this, key, true, null, 0, 1);
            }
            QueueFollower follower = new QueueFollower(this, key, true, lastEventId, from.nextOffset(),
                    followerCapacity);
            for (QueueChange change : part.recent) {
                if (change.offset() >= from.nextOffset() && change.queueKey().equals(key)) {
                    follower.offer(change);
                }
            }
            return register(follower);
        }
    }

    private QueueFollower register(QueueFollower follower) {
        followers.computeIfAbsent(follower.queueKey(), key -> ConcurrentHashMap.newKeySet()).add(follower);
        return follower;
    }

    void unfollow(QueueFollower follower) {
        followers.computeIfPresent(follower.queueKey(), (key, following) -> {
            following.remove(follower);
            return following.isEmpty() ? null : following;
        });
    }

    /** Ends every stream (the service stops). */
    public void closeAll() {
        followers.values().forEach(following -> following.forEach(QueueFollower::close));
    }

    /** One partition's kept changes; guarded by its own monitor. */
    private static final class Partition {
        final ArrayDeque<QueueChange> recent = new ArrayDeque<>();
        /** Every change at or after this offset that the feed has read is in {@link #recent}. */
        long coveredFrom;
        /** The next offset the feed will read. */
        long next;
    }
}
