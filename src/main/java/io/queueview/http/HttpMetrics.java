package io.queueview.http;

import io.queueview.http.peer.ForwardOutcomes;
import java.util.function.IntSupplier;

/** What the HTTP server reports of its calls, and the text GET /metrics answers (Prometheus' exposition format). */
public interface HttpMetrics extends ForwardOutcomes {

    /** A call answered: its route template (never the raw path: no project ids), method, status and time taken. */
    void answered(String route, String method, int status, double millis);

    /**
     * A write call's wait for its command to apply: applied, not_found, no_room, pending (it did not apply in time)
     * or kafka_unavailable.
     */
    void writeWaited(String outcome, long nanos);

    /** Where to read how many change streams are open, when scraped. */
    default void changeStreams(IntSupplier open) {
    }

    /** The metrics, in Prometheus' text format. */
    String scrape();

    /** For servers whose metrics nobody reads (tests of other things). */
    HttpMetrics NONE = new HttpMetrics() {
        @Override
        public void answered(String route, String method, int status, double millis) {
        }

        @Override
        public void writeWaited(String outcome, long nanos) {
        }

        @Override
        public void forwarded(String outcome, long nanos) {
        }

        @Override
        public String scrape() {
            return "";
        }
    };
}
