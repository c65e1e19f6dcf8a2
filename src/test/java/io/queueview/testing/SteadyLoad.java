package io.queueview.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastRight = new AtomicLong(System.nanoTime());
    private final AtomicLong longestGap = new AtomicLong();
    private volatile long stopped;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private volatile String firstWrong;

    public SteadyLoad(List<ServiceInstance> targets, Call call) {
        this(targets, Duration.ZERO, call);
    }

    /** Each thread pauses between its calls: a load that leaves the cores to what it measures. */
    public SteadyLoad(List<ServiceInstance> targets, Duration pause, Call call) {
        for (int t = 0; t < 2; t++) {
            Random random = new Random(t);
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    ServiceInstance target = targets.get(random.nextInt(targets.size()));
                    StringBuilder what = new StringBuilder(target.name()).append(' ');
                    try {
                        if (call.answeredRight(target, random, what)) {
                            answered.incrementAndGet();
                            long now = System.nanoTime();
                            longestGap.accumulateAndGet(now - lastRight.getAndSet(now), Math::max);
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
