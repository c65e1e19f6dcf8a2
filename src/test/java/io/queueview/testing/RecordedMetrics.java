package io.queueview.testing;

import io.queueview.http.HttpMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that keep what the HTTP server reported, for tests to read; their scrape is one fixed line. */
public final class RecordedMetrics implements HttpMetrics {

    public static final String SCRAPE = "# TYPE queueview_up gauge\nqueueview_up 1\n";

    public final List<String> writeOutcomes = new CopyOnWriteArrayList<>();
    public final List<String> forwardOutcomes = new CopyOnWriteArrayList<>();
    public final List<String> scrapes = new CopyOnWriteArrayList<>();

    @Override
    public void answered(String route, String method, int status, double millis) {
    }

    @Override
    public void writeWaited(String outcome, long nanos) {
        writeOutcomes.add(outcome);
    }

    @Override
    public void forwarded(String outcome, long nanos) {
        forwardOutcomes.add(outcome);
    }

    @Override
    public String scrape() {
        scrapes.add(SCRAPE);
        return SCRAPE;
    }
}
