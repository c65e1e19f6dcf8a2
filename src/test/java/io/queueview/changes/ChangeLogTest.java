package io.queueview.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChangeLogTest {

    private static final Duration NO_WAIT = Duration.ZERO;
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    /** 4 partitions, 10 changes kept per partition, streams may fall 5 behind. */
    private final ChangeLog log = new ChangeLog(4, 10, 5);
    private final int partition = log.partitionOf(QUEUE);
    private final QueueId other = otherQueueOnTheSamePartition();

    @Test
    void aNewFollowerGetsTheChangesAppendedAfterItStartedOnlyOfItsQueue() throws Exception {
        log.startAt(partition, 100);
        append(QUEUE, 100);
        try (QueueFollower follower = log.follow(QUEUE, null)) {
            assertTrue(follower.resumable());
            assertEquals(partition + ":101", follower.startId());
            append(other, 101);
            append(QUEUE, 102);
            assertEquals(102, follower.next(NO_WAIT).offset());
            assertNull(follower.next(NO_WAIT));
        }
    }

    @Test
    void aFollowerResumingFromAnEventIdGetsEveryChangeOfItsQueueAfterItThenTheNewOnes() throws Exception {
        log.startAt(partition, 0);
        for (long offset = 0; offset < 8; offset++) {
            append(offset % 2 == 0 ? QUEUE : other, offset);
        }
        String seen = new QueueChange(partition, 3, QUEUE.toString(), new byte[0]).resumeId(); // next is 4
        try (QueueFollower follower = log.follow(QUEUE, seen)) {
            assertTrue(follower.resumable());
            assertTrue(follower.resumed());
            append(QUEUE, 8);
            assertEquals(List.of(4L, 6L, 8L), offsets(follower));
        }
    }

    @Test
    void aFollowerCannotResumeFromBeforeWhatIsKeptNorFromAnotherPartitionNorFromAnIdNotOurs() {
        log.startAt(partition, 0);
        for (long offset = 0; offset < 15; offset++) { // 10 kept: offsets 5..14
            append(QUEUE, offset);
        }
        assertFalse(log.follow(QUEUE, partition + ":4").resumable(), "offset 4 is no longer kept");
        assertTrue(log.follow(QUEUE, partition + ":5").resumable(), "offset 5 is");
        assertFalse(log.follow(QUEUE, (partition + 1) % 4 + ":10").resumable(), "another partition's id");
        for (String notOurs : new String[] {"", "12", "a:b", ":", "1:", "-1:5", partition + ":-3", "9:9:9"}) {
            assertFalse(log.follow(QUEUE, notOurs).resumable(), notOurs);
        }
    }

    @Test
    void aFollowerAheadOfThisFeedSkipsWhatItHasSeenWhenTheFeedCatchesUp() throws Exception {
        log.startAt(partition, 0);
        append(QUEUE, 0);
        try (QueueFollower follower = log.follow(QUEUE, partition + ":3")) { // seen up to 2 through another instance
            append(QUEUE, 1);
            append(QUEUE, 2);
            append(QUEUE, 3);
            assertEquals(List.of(3L), offsets(follower));
        }
    }

    @Test
    void aFollowerThatFallsMoreThanItsBufferBehindOverflowsAndGetsNothingMore() throws Exception {
        log.startAt(partition, 0);
        try (QueueFollower follower = log.follow(QUEUE, null)) {
            for (long offset = 0; offset < 6; offset++) { // the buffer holds 5
                append(QUEUE, offset);
            }
            assertTrue(follower.overflowed());
            assertNull(follower.next(NO_WAIT), "nothing of what it missed is sent");
        }
    }

    @Test
    void closingEveryFollowerWakesAStreamWaitingForItsNextChange() throws Exception {
        log.startAt(partition, 0);
        QueueFollower follower = log.follow(QUEUE, null);
        CompletableFuture<QueueChange> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return follower.next(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(100);
        log.closeAll();
        assertNull(waiting.get(5, TimeUnit.SECONDS));
        assertTrue(follower.closed());
        append(QUEUE, 0);
        assertNull(follower.next(NO_WAIT), "a closed follower gets nothing");
    }

    private void append(QueueId queue, long offset) {
        log.append(new QueueChange(partition, offset, queue.toString(),
                ("{\"change\":\"UPSERT\",\"offset\":" + offset + "}").getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Long> offsets(QueueFollower follower) throws InterruptedException {
        List<Long> offsets = new ArrayList<>();
        for (QueueChange change = follower.next(NO_WAIT); change != null; change = follower.next(NO_WAIT)) {
            offsets.add(change.offset());
        }
        return offsets;
    }

    private QueueId otherQueueOnTheSamePartition() {
        for (int i = 0; ; i++) {
            QueueId candidate = new QueueId("other-" + i, QueueType.PROCESSOR);
            if (log.partitionOf(candidate) == partition) {
                return candidate;
            }
        }
    }
}
