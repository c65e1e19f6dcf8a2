package io.queueview.store;

/**
 * The fixed log-scale buckets of a time in queue: bucket 0 holds waits under a second, bucket k ≥ 1 those in
 * [2^((k-1)/8), 2^(k/8)) seconds — 8 a doubling, so a percentile read as its bucket's upper bound is at most 9 %
 * above the true wait. 256 buckets reach past a century: the last one takes whatever is longer.
 */
public final class WaitBuckets {

    /** How many buckets there are (their index fits a byte). */
    public static final int COUNT = 256;
    private static final int PER_DOUBLING = 8;

    private WaitBuckets() {
    }

    /** The bucket of a wait in milliseconds (a negative one, a clock step between producers, counts as 0). */
    public static int of(long waitMillis) {
        if (waitMillis < 1000) {
            return 0;
        }
        double seconds = waitMillis / 1000.0;
        int bucket = 1 + (int) Math.floor(PER_DOUBLING * Math.log(seconds) / Math.log(2));
        // guard the floor against rounding at an exact bound: the bucket is the first whose upper bound exceeds it
        while (bucket > 1 && upperSeconds(bucket - 1) > seconds) {
            bucket--;
        }
        while (bucket < COUNT - 1 && upperSeconds(bucket) <= seconds) {
            bucket++;
        }
        return Math.min(bucket, COUNT - 1);
    }

    /** The bucket's upper bound in seconds (exclusive): what a percentile that falls in it reads as. */
    public static double upperSeconds(int bucket) {
        return Math.pow(2, (double) bucket / PER_DOUBLING);
    }
}
