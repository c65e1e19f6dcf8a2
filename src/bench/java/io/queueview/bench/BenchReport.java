package io.queueview.bench;

import io.queueview.testing.SingleProcessCrashes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The benchmark's figures as markdown tables, with each target next to its figure. */
final class BenchReport {

    private BenchReport() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) figures.get("machine");
        out.append(String.format("Machine: %s, %s cores, Java %s; %,d entries, events of %s bytes on average; %s%n%n",
                machine.get("cpu"), machine.get("cores"), machine.get("java"), figures.get("entries"),
                figures.get("event_bytes_avg"), "PostgreSQL: " + figures.get("postgres")));

        Map<String, Object> ingest = (Map<String, Object>) figures.get("ingest");
        out.append("| ingest and start-up | figure | target |\n|---|---:|---|\n");
        row(out, "plain KafkaConsumer, bytes only (events/s)", ingest.get("consumer_bytes_only_per_s"), "");
        row(out, "plain KafkaConsumer, each value parsed (events/s)", ingest.get("consumer_parsed_per_s"), "");
        row(out, "queueview, start to every entry queryable, exactly_once_v2 (events/s)", ingest.get("queueview_per_s"), "");
        row(out, "queueview / parsing consumer", ingest.get("queueview_over_parsed"), ">= 0.25");
        row(out, "Kafka Streams floor: parse, repartition, one logged RocksDB write, queueview's settings (events/s)",
                ingest.get("streams_floor_per_s"), "");
        row(out, "queueview / Streams floor", ingest.get("queueview_over_streams_floor"), "");
        row(out, "ready after a clean restart (s)", figures.get("ready_after_restart_s"), "<= 10");
        row(out, "ready after the local state is deleted: changelog restore (s)", figures.get("ready_after_state_deleted_s"), "");
        row(out, "peak RSS of the benchmark JVM: broker, queueview and clients (MiB)", figures.get("peak_rss_mib"), "");
        Map<String, Object> service = (Map<String, Object>) figures.get("service_process");
        if (service != null) {
            row(out, "queueview as its own process (java -Xmx768m -jar): start to every entry queryable over HTTP (events/s)",
                    service.get("events_per_s"), "");
            row(out, "queueview as its own process: peak RSS (MiB)", service.get("peak_rss_mib"), "<= 1536");
        }

        out.append("\n| query (in process, store layer) | matches | queueview p50 µs | p99 µs | PostgreSQL p50 µs | p99 µs | PostgreSQL / queueview p50 | p99 | target |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        Map<String, Object> queries = (Map<String, Object>) figures.get("queries");
        queries.forEach((name, value) -> {
            Map<String, Object> row = (Map<String, Object>) value;
            boolean combined = name.contains("+ output_type");
            out.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", name, row.get("matches"),
                    row.get("queueview_p50_us"), row.get("queueview_p99_us"), row.getOrDefault("postgres_p50_us", "-"),
                    row.getOrDefault("postgres_p99_us", "-"), row.getOrDefault("postgres_over_queueview_p50", "-"),
                    row.getOrDefault("postgres_over_queueview_p99", "-"),
                    name.contains("position") ? ">= 20x" : (combined ? "p99 <= 5 ms, >= 20x" : "p99 <= 1 ms, >= 20x")));
        });

        Map<String, Object> http = (Map<String, Object>) figures.get("http");
        out.append("\n| HTTP, first pages of the big queue | clients | requests/s | p50 ms | p99 ms | errors | target |\n");
        out.append("|---|---:|---:|---:|---:|---:|---|\n");
        out.append(String.format("| GET list | %s | %s | %s | %s | %s | >= 5,000/s, p99 <= 10 ms |%n",
                http.get("clients"), http.get("requests_per_s"), http.get("p50_ms"), http.get("p99_ms"), http.get("errors")));
        Map<String, Object> freshness = (Map<String, Object>) figures.get("freshness");
        if (freshness != null) {
            out.append("\n").append(freshness(freshness));
        }
        Map<String, Object> scaleOut = (Map<String, Object>) figures.get("scale_out");
        if (scaleOut != null) {
            out.append("\n").append(scaleOut(scaleOut));
        }
        return out.toString();
    }

    /** The scale section: bootstrap against the Streams floor, heap, restart and restore, each per million too. */
    @SuppressWarnings("unchecked")
    static String scale(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) figures.get("machine");
        Map<String, Object> scale = (Map<String, Object>) figures.get("scale");
        Map<String, Object> perMillion = (Map<String, Object>) scale.get("per_million");
        Map<String, Object> restart = (Map<String, Object>) scale.get("restart");
        Map<String, Object> restore = (Map<String, Object>) scale.get("restore");
        out.append(String.format("Machine: %s, %s cores, Java %s, -Xmx %s MiB; %,d entries%n%n", machine.get("cpu"),
                machine.get("cores"), machine.get("java"), machine.get("max_heap_mib"), figures.get("entries")));
        out.append("| scale | at this size | per million entries |\n|---|---:|---:|\n");
        out.append(String.format("| Streams floor (events/s; s per million) | %s | %s |%n", scale.get("streams_floor_per_s"),
                perMillion.get("streams_floor_s")));
        out.append(String.format("| queueview bootstrap, start to every entry queryable (events/s; s per million) | %s | %s |%n",
                scale.get("queueview_per_s"), perMillion.get("bootstrap_s")));
        out.append(String.format("| queueview / Streams floor | %s | |%n", scale.get("queueview_over_streams_floor")));
        out.append(String.format("| heap held by queueview after a full GC (MiB; bytes per entry) | %s | %s (%s B/entry) |%n",
                scale.get("heap_mib"), perMillion.get("heap_mib"), scale.get("heap_bytes_per_entry")));
        out.append(String.format("| ready after a clean restart (s) | %s | %s |%n", restart.get("ready_s"),
                perMillion.get("restart_ready_s")));
        out.append(String.format("| of which the view's rebuild, busiest stream thread (ms; s per million) | %s | %s |%n",
                restart.get("rebuild_longest_thread_ms"), perMillion.get("restart_rebuild_thread_s")));
        out.append(String.format("| ready after deleting the local state: restore from the changelogs (s) | %s | %s |%n",
                restore.get("ready_s"), perMillion.get("restore_ready_s")));
        out.append(String.format("| of which the view's rebuild, busiest stream thread (ms; s per million) | %s | %s |%n",
                restore.get("rebuild_longest_thread_ms"), perMillion.get("restore_rebuild_thread_s")));
        out.append(String.format("| peak RSS of the benchmark JVM: broker, queueview, clients (MiB) | %s | |%n",
                scale.get("peak_rss_mib")));
        return out.toString();
    }

    /** The freshness section: steady rates, produce to visible, and queueview's CPU. */
    @SuppressWarnings("unchecked")
    static String freshness(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder("| freshness (queueview its own process; the broker another) | "
                + "samples | produce -> visible p50 ms | p99 ms | max ms | caught up after the last (ms) | "
                + "queueview CPU (share of a core) | target |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        out.append(String.format("| no events | | | | | | %s (%s with the client's 500 calls/s) | <= 0.03 |%n",
                figures.get("idle_cpu_share"), figures.get("idle_polled_cpu_share")));
        for (Map<String, Object> rate : (List<Map<String, Object>>) figures.get("rates")) {
            int eventsPerSecond = (Integer) rate.get("events_per_s");
            String target = switch (eventsPerSecond) {
                case 1_000 -> "p50 <= 100, p99 <= 250, CPU <= 0.15";
                case 5_000 -> "p99 <= 500";
                default -> "";
            };
            out.append(String.format("| %,d events/s | %s | %s | %s | %s | %s | %s | %s |%n", eventsPerSecond,
                    rate.get("samples"), rate.get("p50_ms"), rate.get("p99_ms"), rate.get("max_ms"),
                    rate.get("caught_up_ms"), rate.get("cpu_share"), target));
        }
        return out.toString();
    }

    /** The change-streams section: event to stream client, with one stream and with many, in one run. */
    @SuppressWarnings("unchecked")
    static String changeStreams(Map<String, Object> figures) {
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) figures.get("rounds");
        StringBuilder out = new StringBuilder("| change streams (one queue, " + figures.get("events_per_s")
                + " events/s; acknowledged by Kafka -> read by the client) | deliveries | missing | p50 ms | p99 ms "
                + "| max ms | queueview CPU (share of a core) | p50 / p50 of one stream |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        double oneStream = ((Number) rounds.get(0).get("p50_ms")).doubleValue();
        for (Map<String, Object> round : rounds) {
            out.append(String.format("| %s streams open | %s | %s | %s | %s | %s | %s | %.2f |%n", round.get("streams"),
                    round.get("deliveries"), round.get("missing"), round.get("p50_ms"), round.get("p99_ms"),
                    round.get("max_ms"), round.get("cpu_share"),
                    ((Number) round.get("p50_ms")).doubleValue() / oneStream));
        }
        return out.toString();
    }

    /** The scale-out section: queueview as separate processes on one broker. */
    static String scaleOut(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder("| scale-out (separate processes, 24 queues of 2,000 entries, 6 partitions, "
                + "1 standby) | figure | target |\n|---|---:|---|\n");
        // a step not run (--forwarding-only) or not measured has no row of figures
        if (figures.containsKey("first_instance_answers_s")) {
            row(out, "one instance: every queue answered after the events were produced (s)",
                    figures.get("first_instance_answers_s"), "");
        }
        if (figures.containsKey("restart_after_kill_s")) {
            row(out, "kill -9 and restart of one instance: every queue answering again (s, each crash)",
                    figures.get("restart_after_kill_s"), "<= 10");
        }
        if (figures.containsKey("failover_after_kill_s")) {
            row(out, "4 instances, kill -9 of one: every queue answered by the others (s)",
                    figures.get("failover_after_kill_s"), "<= 10");
        }
        if (figures.containsKey("failover_read_gap_p99_ms")) {
            row(out, "reads of every queue around that kill: calls / failed / from a standby / wrong",
                    figures.get("failover_reads") + " / " + figures.get("failover_reads_failed") + " / "
                            + figures.get("failover_reads_stale") + " / " + figures.get("failover_reads_wrong"),
                    "0 wrong");
            row(out, "  longest read gap per queue, p50 / p99 (ms)", figures.get("failover_read_gap_p50_ms") + " / "
                    + figures.get("failover_read_gap_p99_ms"), "p99 <= 1000");
        }
        if (figures.containsKey("join_calls")) {
            row(out, "a fourth instance joins under load: calls / 503 share / wrong answers", figures.get("join_calls")
                    + " / " + figures.get("join_unavailable_share") + " / " + figures.get("join_wrong"), "0 wrong");
        }
        if (figures.containsKey("forwarded_over_direct")) {
            row(out, "first pages with 16 clients on the owner (requests/s, p99 ms)", figures.get("direct_per_s") + ", "
                    + figures.get("direct_p99_ms"), "");
            row(out, "the same through a non-owner, forwarded (requests/s, p99 ms)", figures.get("forwarded_per_s") + ", "
                    + figures.get("forwarded_p99_ms"), "");
            row(out, "forwarded / direct throughput", figures.get("forwarded_over_direct"), ">= 0.5");
            row(out, "CPU per call (µs): the owner, direct / the owner, forwarded to / the forwarder",
                    figures.get("owner_cpu_us_per_direct_call") + " / " + figures.get("owner_cpu_us_per_forwarded_call")
                            + " / " + figures.get("forwarder_cpu_us_per_call"), "");
        }
        Object notMeasured = figures.get("not_measured");
        if (notMeasured instanceof Map<?, ?> steps) {
            steps.forEach((step, why) -> row(out, "NOT MEASURED: " + step, why, ""));
            row(out, "kept for reading (folder, instances' logs)", figures.get("kept"), "");
        }
        return out.toString();
    }

    /** The HTTPS section: the same calls over HTTP and over HTTPS, same run, each the better of two rounds. */
    static String peerClients(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder("| the forwarder's client, 16 threads, first pages of one owner | calls/s "
                + "| p50 µs | p99 µs | client CPU µs per call | owner CPU µs per call | errors |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (String client : List.of("ours", "httpclient5")) {
            Map<String, Object> row = (Map<String, Object>) figures.get(client);
            out.append(String.format("| %s | %,d | %d | %d | %d | %d | %d |%n", client, row.get("calls_per_s"),
                    row.get("p50_us"), row.get("p99_us"), row.get("client_cpu_us_per_call"),
                    row.get("owner_cpu_us_per_call"), row.get("errors")));
        }
        return out.append(String.format("%nHttpClient 5 / ours: calls/s %s, client CPU per call %s%n",
                figures.get("httpclient5_over_ours_calls"), figures.get("httpclient5_over_ours_cpu"))).toString();
    }

    static String https(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder("| first pages, 16 keep-alive clients | HTTP | HTTPS | HTTPS / HTTP |\n"
                + "|---|---:|---:|---:|\n");
        for (String call : List.of("direct", "forwarded")) {
            double http = ((Number) figures.get("http_" + call + "_per_s")).doubleValue();
            double https = ((Number) figures.get("https_" + call + "_per_s")).doubleValue();
            out.append(String.format("| %s (requests/s) | %.0f | %.0f | %.2f |%n", call.equals("direct")
                    ? "on the queue's owner" : "through the other instance, forwarded", http, https, https / http));
            out.append(String.format("| %s, p99 (ms) | %s | %s | |%n", call, figures.get("http_" + call + "_p99_ms"),
                    figures.get("https_" + call + "_p99_ms")));
        }
        out.append(String.format("| answers other than 200 | %s | %s | |%n", figures.get("http_errors"),
                figures.get("https_errors")));
        return out.toString();
    }

    /**
     * The secured-broker freshness section: queueview's clients over PLAINTEXT and over SASL_SSL, same broker, same
     * run; a caption line, then the table.
     */
    @SuppressWarnings("unchecked")
    static String secured(Map<String, Object> figures) {
        Map<String, Object> plain = (Map<String, Object>) figures.get("plaintext");
        Map<String, Object> sasl = (Map<String, Object>) figures.get("sasl_ssl");
        List<Map<String, Object>> rounds = (List<Map<String, Object>>) figures.get("rounds");
        StringBuilder out = new StringBuilder(String.format("Freshness at %,d events/s on one secured broker, same run: "
                + "queueview (its own process) over the PLAINTEXT listener and over the SASL_SSL one (SCRAM-SHA-512, the "
                + "documented ACLs), %d rounds in the order %s, %s s measured each, each way's samples pooled. The load "
                + "driver's producer goes through PLAINTEXT in every round: what differs is queueview's own clients over "
                + "TLS + SASL.%n%n", (Integer) figures.get("events_per_s"), rounds.size(),
                String.join(", ", rounds.stream().map(round -> (String) round.get("way")).toList()),
                figures.get("seconds_per_round")));
        out.append("| freshness, produce -> visible | PLAINTEXT | SASL_SSL (SCRAM-SHA-512) | SASL_SSL / PLAINTEXT |\n"
                + "|---|---:|---:|---:|\n");
        out.append(String.format("| samples | %s | %s | |%n", plain.get("samples"), sasl.get("samples")));
        ratioRow(out, "p50 (ms)", plain.get("p50_ms"), sasl.get("p50_ms"));
        ratioRow(out, "p99 (ms)", plain.get("p99_ms"), sasl.get("p99_ms"));
        ratioRow(out, "max (ms)", plain.get("max_ms"), sasl.get("max_ms"));
        ratioRow(out, "caught up after the last event (ms, the slower round)", plain.get("caught_up_ms"),
                sasl.get("caught_up_ms"));
        ratioRow(out, "queueview CPU (share of a core, mean of the rounds)", plain.get("cpu_share"),
                sasl.get("cpu_share"));
        out.append(String.format("| each round, in run order: p50 / p99 (ms) | %s | %s | |%n",
                eachRound(rounds, "PLAINTEXT"), eachRound(rounds, "SASL_SSL")));
        return out.toString();
    }

    private static void ratioRow(StringBuilder out, String name, Object plain, Object sasl) {
        out.append(String.format("| %s | %s | %s | %.2f |%n", name, plain, sasl,
                ((Number) sasl).doubleValue() / ((Number) plain).doubleValue()));
    }

    private static String eachRound(List<Map<String, Object>> rounds, String way) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            if (rounds.get(i).get("way").equals(way)) {
                cells.add("#" + (i + 1) + " " + rounds.get(i).get("p50_ms") + " / " + rounds.get(i).get("p99_ms"));
            }
        }
        return String.join(", ", cells);
    }

    /** The crash section: the single process with its embedded broker, kill -9 and restart while events flow. */
    static String crashes(SingleProcessCrashes.Result result) {
        List<Double> seconds = result.crashes().stream().map(r -> r.killToReady().toMillis() / 1000.0).sorted().toList();
        double clean = result.cleanRestart().toMillis() / 1000.0;
        double median = seconds.get(seconds.size() / 2);
        StringBuilder out = new StringBuilder("| single process, embedded broker, 300 events/s | figure | target |\n"
                + "|---|---:|---|\n");
        row(out, "kill -9 restarts ready, every queue then listed as the events say", seconds.size() + " of "
                + seconds.size(), "all");
        row(out, "kill -9 -> ready (s): min / median / max", String.format("%.1f / %.1f / %.1f", seconds.get(0),
                median, seconds.get(seconds.size() - 1)), "<= 10");
        row(out, "each restart (s), in order", result.crashes().stream()
                .map(r -> String.format("%.1f", r.killToReady().toMillis() / 1000.0)).toList(), "");
        row(out, "clean stop -> ready (s), same data, same run", String.format("%.1f", clean), "");
        row(out, "median kill -9 restart / clean restart", String.format("%.2f", median / clean), "");
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Object figure, String target) {
        out.append(String.format("| %s | %s | %s |%n", name, figure, target));
    }
}
