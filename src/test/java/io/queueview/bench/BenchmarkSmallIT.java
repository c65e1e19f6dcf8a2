package io.queueview.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's small mode (10,000 entries) in the test suite, so its code never rots. It also checks what the
 * full run relies on: queueview and PostgreSQL (when present) give equal answers to every query of the mix.
 */
class BenchmarkSmallIT {

    @Test
    void smallModeRunsEveryStepAndReportsEveryFigure(@TempDir Path work) throws Exception {
        Benchmark.Options options = Benchmark.Options.small(work);
        String table = new Benchmark(options, System.out).run();
        System.out.println(table);

        JsonNode figures = new ObjectMapper().readTree(options.jsonOut().toFile());
        assertTrue(figures.at("/ingest/queueview_per_s").asDouble() > 0);
        assertTrue(figures.at("/ingest/consumer_parsed_per_s").asDouble() > 0);
        assertTrue(figures.at("/ingest/streams_floor_per_s").asDouble() > 0);
        assertTrue(figures.at("/http/requests_per_s").asDouble() > 0);
        assertTrue(figures.at("/http/errors").asLong() == 0);
        assertTrue(figures.get("ready_after_restart_s").asDouble() > 0);
        assertTrue(figures.get("ready_after_state_deleted_s").asDouble() > 0);
        assertTrue(figures.get("queries").size() == 16, figures.get("queries").toString());
        assertTrue(table.contains("| big: first page + total |"), table);
        assertEquals(2, figures.at("/freshness/rates").size(), figures.get("freshness").toString());
        assertTrue(figures.at("/freshness/rates/1/samples").asLong() > 0, figures.get("freshness").toString());
    }
}
