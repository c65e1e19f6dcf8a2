package io.queueview.testing;

import io.queueview.time.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when a test says so, and a scheduler on it: {@link #advance} moves the clock to each
 * scheduled task's time in turn and runs the task there, on the test's thread (as Kafka's MockTime and
 * MockScheduler do). Nothing runs by itself.
 */
public final class ManualTime implements Ticker {

    private final Instant start;
    private final Scheduler scheduler = new Scheduler();
    private volatile long nanos;

    public ManualTime(Instant start) {
        this.start = start;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant instant() {
        return start.plusNanos(nanos);
    }

    /** The scheduler whose tasks run as {@link #advance} passes their time. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Moves time forward by {@code by}, running every task that falls due on the way, each at its own time. */
    public synchronized void advance(Duration by) {
        long target = nanos + by.toNanos();
        for (Task task = scheduler.nextDue(target); task != null; task = scheduler.nextDue(target)) {
            nanos = Math.max(nanos, task.due);
            task.runOnce();
        }
        nanos = target;
    }

    private final class Scheduler extends AbstractExecutorService implements ScheduledExecutorService {
        private final List<Task> tasks = new ArrayList<>();
        private volatile boolean shutdown;

        synchronized Task nextDue(long until) {
            tasks.removeIf(Task::isDone);
            return tasks.stream().filter(task -> task.due <= until).min(Comparator.comparingLong(task -> task.due))
                    .orElse(null);
        }

        private synchronized Task add(Runnable runnable, long delay, long period, TimeUnit unit) {
            Task task = new Task(runnable, nanos + unit.toNanos(delay), unit.toNanos(period));
            if (!shutdown) {
                tasks.add(task);
            }
            return task;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return add(command, delay, 0, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException("not needed yet");
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return add(command, initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                         TimeUnit unit) {
            return add(command, initialDelay, delay, unit);
        }

        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public synchronized void shutdown() {
            shutdown = true;
            tasks.clear();
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown();
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }

    /** A task due at {@code due}, again every {@code period} after (0: once). */
    private final class Task extends FutureTask<Object> implements ScheduledFuture<Object> {
        private final long period;
        private volatile long due;

        Task(Runnable runnable, long due, long period) {
            super(runnable, null);
            this.due = due;
            this.period = period;
        }

        void runOnce() {
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                due += period;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
