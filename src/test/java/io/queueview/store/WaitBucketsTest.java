package io.queueview.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The log-scale buckets of a time in queue, and the compact minute that counts them. */
class WaitBucketsTest {

    @Test
    void aWaitFallsInTheBucketWhoseBoundsHoldItAtMostAnEighthOfADoublingWide() {
        Random random = new Random(22);
        for (int i = 0; i < 100_000; i++) {
            long millis = (long) Math.pow(10, random.nextDouble() * 10); // 1 ms to about 115 days
            int bucket = WaitBuckets.of(millis);
            double seconds = millis / 1000.0;
            assertTrue(seconds < WaitBuckets.upperSeconds(bucket), millis + " ms under bucket " + bucket + "'s bound");
            if (bucket > 0) {
                assertTrue(seconds >= WaitBuckets.upperSeconds(bucket - 1), millis + " ms over the bucket before");
            } else {
                assertTrue(millis < 1000, millis + " ms in the first bucket");
            }
        }
        assertEquals(0, WaitBuckets.of(-5), "a clock step between producers counts as no wait");
        assertEquals(1, WaitBuckets.of(1000), "1 s starts the second bucket");
        assertEquals(WaitBuckets.COUNT - 1, WaitBuckets.of(Long.MAX_VALUE), "the last bucket takes the longest");
    }

    @Test
    void aMinuteReadsBackAsWritten() {
        WaitMinute minute = WaitMinute.EMPTY.withDepth(123_456).plusDispatch(0).plusDispatch(90_000).plusDispatch(-1)
                .plusDispatch(90_500);
        WaitMinute read = WaitMinute.fromBytes(minute.toBytes());
        assertEquals(minute, read);
        assertEquals(123_456, read.depth());
        assertEquals(4, read.dispatched());
        assertEquals(1, read.waitsIn(0));
        assertEquals(2, read.waitsIn(WaitBuckets.of(90_000)));
        assertTrue(minute.toBytes().length < 16, "a few bytes: " + minute.toBytes().length);
        assertEquals(WaitMinute.EMPTY, WaitMinute.fromBytes(null));
    }
}
