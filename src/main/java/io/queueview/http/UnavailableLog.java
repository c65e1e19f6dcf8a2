package io.queueview.http;

import io.queueview.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs the 502s and 503s of one server: they come in bursts (a rebalance, a restart, a dead owner), each call
 * answering the same, so one line a second stands for the burst and says how many it stands for. Any other 5xx is
 * logged every time.
 */
final class UnavailableLog {

    private static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Logger log;
    private final Ticker time;
    private final AtomicLong lastLogged;
    private final AtomicLong notLogged = new AtomicLong();

    UnavailableLog(Logger log, Ticker time) {
        this.log = log;
        this.time = time;
        lastLogged = new AtomicLong(time.nanoTime() - INTERVAL_NANOS);
    }

    void answered(String call, int status, Exception failure) {
        long now = time.nanoTime();
        long last = lastLogged.get();
        if (now - last < INTERVAL_NANOS || !lastLogged.compareAndSet(last, now)) {
            notLogged.incrementAndGet();
            return;
        }
        long others = notLogged.getAndSet(0);
        log.warn("{} answered {}: {}{}", call, status, failure.getMessage(),
                others == 0 ? "" : " (and " + others + " more 502/503 answers since the last such line)",
                failure.getCause());
    }
}
