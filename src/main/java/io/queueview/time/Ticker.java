package io.queueview.time;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The service's one source of time, passed in from the wiring: the wall clock ({@link #instant()}) for what an
 * answer says, and a monotonic nanosecond count ({@link #nanoTime()}) for deadlines and durations. Tests pass a
 * ticker they advance, instead of sleeping.
 */
public interface Ticker extends InstantSource {

    /** The system's clocks: {@link System#nanoTime()} and UTC. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }
    };

    /** Nanoseconds from an arbitrary origin, only for differences, as {@link System#nanoTime()}. */
    long nanoTime();
}
