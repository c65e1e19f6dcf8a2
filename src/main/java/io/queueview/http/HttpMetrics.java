package io.queueview.http;

/** What the HTTP server reports of its calls, and the text GET /metrics answers (Prometheus' exposition format). */
public interface HttpMetrics {

    /** A call answered: its route template (never the raw path: no project ids), method, status and time taken. */
    void answered(String route, String method, int status, double millis);

    /** The metrics, in Prometheus' text format. */
    String scrape();

    /** For servers whose metrics nobody reads (tests of other things). */
    HttpMetrics NONE = new HttpMetrics() {
        @Override
        public void answered(String route, String method, int status, double millis) {
        }

        @Override
        public String scrape() {
            return "";
        }
    };
}
