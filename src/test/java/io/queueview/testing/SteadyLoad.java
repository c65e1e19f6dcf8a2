package io.queueview.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two client threads calling instances of a group one call after another (or with a pause between calls), each
 * call's answer judged: answered right, unavailable (502, 503, no answer at all) or wrong — the first wrong one kept
 * to tell what it was — and the longest time in which no call was answered right.
 */
public final class SteadyLoad implements AutoCloseable {

    /** One call: which instance, what to ask, and what makes its answer right. */
    public interface Call {
        /** Calls an instance the random picks; true when the answer is right (an unavailable one is neither). */
        boolean answeredRight(ServiceInstance target, Random random, StringBuilder what);
    }

    /** A call about one queue (its key), whose answer may say it came from a standby copy. */
    public interface QueueCall {
        Judged call(ServiceInstance target, Random random, StringBuilder what);
    }

    /** What a call asked about and how its answer was judged. */
    public record Judged(String queue, boolean right, boolean stale) {
    }

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastRight = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGap = new AtomicLong();
    private volatile long stopped;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong stale = new AtomicLong();
    private final Map<String, Long> lastRightByQueue = new ConcurrentHashMap<>();
    private final Map<String, Long> longestGapByQueue = new ConcurrentHashMap<>();
    private volatile String firstWrong;

    public SteadyLoad(List<ServiceInstance> targets, Call call) {
        this(targets, Duration.ZERO, call);
    }

    /** Each thread pauses between its calls: a load that leaves the cores to what it measures. */
    public SteadyLoad(List<ServiceInstance> targets, Duration pause, Call call) {
        this((QueueCall) (target, random, what) -> new Judged(null, call.answeredRight(target, random, what), false),
                targets, pause);
    }

    /** Calls about queues: the longest gap is also kept per queue, and answers from a copy are counted. */
    public static SteadyLoad ofQueues(List<ServiceInstance> targets, QueueCall call) {
        return new SteadyLoad(call, targets, Duration.ZERO);
    }

    private SteadyLoad(QueueCall call, List<ServiceInstance> targets, Duration pause) {
        for (int t = 0; t < 2; t++) {
            Random random = new Random(t);
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    ServiceInstance target = targets.get(random.nextInt(targets.size()));
                    StringBuilder what = new StringBuilder(target.name()).append(' ');
                    try {
                        Judged judged = call.call(target, random, what);
                        if (judged.right()) {
                            answered.incrementAndGet();
                            stale.addAndGet(judged.stale() ? 1 : 0);
                            long now = System.nanoTime();
                            longestGap.accumulateAndGet(now - lastRight.getAndSet(now), Math::max);
                            if (judged.queue() != null) {
                                Long last = lastRightByQueue.put(judged.queue(), now);
                                longestGapByQueue.merge(judged.queue(), last == null ? 0 : now - last, Math::max);
                            }
                        } else {
                            wrong.incrementAndGet();
                            firstWrong = firstWrong == null ? what.toString() : firstWrong;
                        }
                    } catch (Unavailable refusal) {
                        unavailable.incrementAndGet();
                        if (refusal.status == 503) {
                            refused.incrementAndGet();
                        }
                    } catch (java.io.UncheckedIOException notAnswering) {
                        unavailable.incrementAndGet();
                    }
                    pause(pause);
                }
            }, "steady-load-" + t);
            thread.start();
            threads.add(thread);
        }
    }

    /** Thrown by a call whose answer says "not now" (502, 503): counted apart from right and wrong. */
    public static final class Unavailable extends RuntimeException {
        private final int status;

        private Unavailable(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    /** A 502 or 503 is unavailable, not an answer. */
    public static HttpResponse<String> available(HttpResponse<String> answer) {
        if (answer.statusCode() == 502 || answer.statusCode() == 503) {
            throw new Unavailable(answer.statusCode());
        }
        return answer;
    }

    public long calls() {
        return answered.get() + unavailable.get() + wrong.get();
    }

    public long answered() {
        return answered.get();
    }

    public long unavailable() {
        return unavailable.get();
    }

    /** The unavailable calls that were answered 503 (the rest: 502, or no answer at all). */
    public long refused() {
        return refused.get();
    }

    /** The longest time without a call answered right, up to now (a run that ends in a gap counts it). */
    public Duration longestGap() {
        long end = stopped != 0 ? stopped : System.nanoTime();
        return Duration.ofNanos(Math.max(longestGap.get(), end - lastRight.get()));
    }

    /** The right answers that came from a standby copy. */
    public long stale() {
        return stale.get();
    }

    /** Per queue, the longest time without a right answer about it (up to now, for one still in a gap). */
    public Map<String, Duration> longestGapByQueue() {
        long end = stopped != 0 ? stopped : System.nanoTime();
        Map<String, Duration> gaps = new TreeMap<>();
        longestGapByQueue.forEach((queue, gap) -> gaps.put(queue,
                Duration.ofNanos(Math.max(gap, end - lastRightByQueue.get(queue)))));
        return gaps;
    }

    public long wrong() {
        return wrong.get();
    }

    public String firstWrong() {
        return firstWrong;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        stopped = stopped != 0 ? stopped : System.nanoTime();
    }

    private static void pause(Duration pause) {
        if (!pause.isZero()) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
