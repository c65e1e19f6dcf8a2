package io.queueview.bench;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;

import io.queueview.command.MoveEntry;
import io.queueview.command.SetPriority;
import io.queueview.query.Filters;
import io.queueview.query.ListQuery;
import io.queueview.query.Page;
import io.queueview.query.QueueReader;
import io.queueview.query.WaitEstimate;
import io.queueview.queue.Entry;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.Folders;
import io.queueview.testing.ProjectorDriver;
import io.queueview.time.Ticker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How right the estimated wait is: a scheduler simulator feeds a queue's events through the real topology (a
 * TopologyTestDriver with simulated record time, no broker: three simulated hours take seconds), every 10 simulated
 * seconds reads the estimate of every queued entry as the unfiltered list call gives it, and when an entry is
 * dispatched compares each estimate it was given with the time it really waited from then.
 * <p>
 * The scheduler: four clusters, each with its own pace, taking in batches every 5-20 s the first entries in queue
 * order that name it or no cluster, in bursts (2.5 times the pace), lulls (nothing) and normal spells; arrivals per
 * cluster that hold each cluster's backlog near a level of its own (so a slow cluster's entries wait longer than
 * their place in the queue says), with occasional batches of 30; 8 % of arrivals with a higher priority (they jump
 * ahead); operators who raise priorities and move entries. The queue starts with a backlog of about 2,100 entries
 * and is watched from then on (a young queue for its first 15 minutes).
 */
final class EstimateError {

    /** A cluster: its pace (dispatches a minute, on average over its spells) and the backlog its arrivals keep. */
    private record Cluster(String type, String id, double pacePerMinute, int backlog) {
    }

    private static final List<Cluster> CLUSTERS = List.of(
            new Cluster("CCE", "cce-1", 40, 600),
            new Cluster("CCE", "cce-2", 20, 900),
            new Cluster("MODELARTS", "ma-pool-1", 10, 200),
            new Cluster("MODELARTS", "ma-pool-2", 4, 300));
    /** Entries that name no cluster: any cluster takes them; their arrivals keep about this many queued. */
    private static final int UNASSIGNED_BACKLOG = 100;
    private static final double UNASSIGNED_PER_MINUTE = 3;
    private static final Duration SAMPLED = Duration.ofHours(2);
    /** Dispatching goes on after the sampling so that most entries sampled are dispatched, and scored. */
    private static final Duration RUN = Duration.ofHours(3);
    private static final long SAMPLE_EVERY_S = 10;
    /**
     * The least actual wait an error is divided by: below the sampling step (and a scheduler's poll), a relative
     * error measures when in its batch an entry was taken, not the estimate.
     */
    private static final double LEAST_ACTUAL_S = 10;
    static final String[] BANDS = {"1-10", "11-100", "101-1000", ">1000"};

    private final Random random;
    private final ProjectorDriver driver;
    private final QueueReader reader;
    private final QueueId queue = new QueueId("sim-project", QueueType.PROCESSOR);
    private final Instant start = Instant.parse("2026-12-01T00:00:00Z");
    private Instant now = start;
    private long nextId = 1;
    private long commands;
    /** Per queued entry sampled: its samples (time, position, estimate or -1). */
    private final Map<Long, Samples> samples = new HashMap<>();
    private final Map<String, Integer> backlog = new HashMap<>();
    private final List<List<Double>> errors = new ArrayList<>();
    private final long[] sampledPerBand = new long[BANDS.length];
    private final long[] withoutPerBand = new long[BANDS.length];
    private long scoredEntries;

    private EstimateError(long seed, Path dataDir) {
        random = new Random(seed);
        driver = new ProjectorDriver(dataDir);
        reader = new QueueReader(driver, Ticker.SYSTEM);
        for (int i = 0; i < BANDS.length; i++) {
            errors.add(new ArrayList<>());
        }
    }

    /** Runs the simulation of this seed; returns the figures by band and overall, and the run's counts. */
    static Map<String, Object> measure(long seed, PrintStream log) throws Exception {
        Path dir = Files.createTempDirectory("queueview-estimates");
        long began = System.nanoTime();
        try {
            EstimateError run = new EstimateError(seed, dir);
            try {
                run.simulate();
            } finally {
                run.driver.close();
            }
            Map<String, Object> figures = run.figures(seed);
            log.printf("estimates: seed %d simulated %s in %.1f s%n", seed, RUN, (System.nanoTime() - began) / 1e9);
            return figures;
        } finally {
            Folders.delete(dir);
        }
    }

    private void simulate() {
        for (Cluster cluster : CLUSTERS) {
            backlog.put(cluster.id(), 0);
            for (int i = 0; i < cluster.backlog(); i++) {
                arrive(cluster, -random.nextInt(7_200_000));
            }
        }
        backlog.put("", 0);
        for (int i = 0; i < UNASSIGNED_BACKLOG; i++) {
            arrive(null, -random.nextInt(7_200_000));
        }
        Dispatcher[] dispatchers = CLUSTERS.stream().map(Dispatcher::new).toArray(Dispatcher[]::new);
        for (long second = 1; second <= RUN.toSeconds(); second++) {
            now = start.plusSeconds(second);
            for (Cluster cluster : CLUSTERS) {
                arrivals(cluster.id(), cluster, cluster.pacePerMinute(), cluster.backlog());
            }
            arrivals("", null, UNASSIGNED_PER_MINUTE, UNASSIGNED_BACKLOG);
            if (random.nextDouble() < 1.0 / 600) { // a user submits a batch
                Cluster cluster = CLUSTERS.get(random.nextInt(CLUSTERS.size()));
                for (int i = 0; i < 30; i++) {
                    arrive(cluster, 0);
                }
            }
            for (Dispatcher dispatcher : dispatchers) {
                dispatcher.tick(second);
            }
            if (random.nextDouble() < 1.0 / 90) {
                raisePriorities();
            }
            if (random.nextDouble() < 1.0 / 120) {
                move();
            }
            if (second % SAMPLE_EVERY_S == 0 && second <= SAMPLED.toSeconds()) {
                sample();
            }
        }
    }

    /** Arrivals of a second, at a rate that pulls the backlog back towards its level. */
    private void arrivals(String key, Cluster cluster, double pacePerMinute, int level) {
        int queued = backlog.get(key);
        double pull = queued < level * 0.8 ? 1.15 : queued > level * 1.2 ? 0.85 : 1.0;
        int arriving = poisson(pacePerMinute / 60 * pull);
        for (int i = 0; i < arriving; i++) {
            arrive(cluster, 0);
        }
    }

    /** One new entry; its rank_stamp is now plus an offset (negative for the initial backlog, queued earlier). */
    private void arrive(Cluster cluster, long rankOffsetMs) {
        long id = nextId++;
        double draw = random.nextDouble();
        int priority = draw < 0.02 ? 40 : draw < 0.08 ? 10 : 0;
        var event = enqueued(queue.projectId(), queue.type().name(), id).with("priority", priority)
                .with("rank_stamp", now.toEpochMilli() + rankOffsetMs);
        if (cluster != null) {
            event.with("cluster_type", cluster.type()).with("cluster_id", cluster.id());
        }
        driver.sendAt(now, event);
        backlog.merge(cluster == null ? "" : cluster.id(), 1, Integer::sum);
    }

    /** A cluster's scheduler: polls every 5-20 s and takes a batch, at a pace that changes with its spells. */
    private final class Dispatcher {
        private final Cluster cluster;
        private final long period;
        private long nextPoll;
        private long spellEnds;
        private double spellPace = 1;

        Dispatcher(Cluster cluster) {
            this.cluster = cluster;
            this.period = 5 + random.nextInt(16);
            this.nextPoll = 1 + random.nextInt((int) period);
        }

        void tick(long second) {
            if (second >= spellEnds) { // normal 65 %, burst 15 %, lull 20 %: on average 1.03 times the pace
                double draw = random.nextDouble();
                spellPace = draw < 0.65 ? 1 : draw < 0.80 ? 2.5 : 0;
                spellEnds = second + 10 + (long) (-Math.log(1 - random.nextDouble()) * 80);
            }
            if (second < nextPoll) {
                return;
            }
            nextPoll = second + period;
            int batch = poisson(cluster.pacePerMinute() / 60 * period * spellPace);
            if (batch > 0) {
                dispatch(cluster, batch);
            }
        }
    }

    /** The first entries in queue order that name this cluster or none, dispatched now. */
    private void dispatch(Cluster cluster, int batch) {
        List<Entry> taken = new ArrayList<>();
        int offset = 0;
        while (taken.size() < batch) {
            Page page = reader.list(new ListQuery(queue, Filters.NONE, ListQuery.MAX_LIMIT, offset), now);
            for (Entry entry : page.entries()) {
                if ((entry.clusterId() == null || entry.clusterId().equals(cluster.id())) && taken.size() < batch) {
                    taken.add(entry);
                }
            }
            offset += page.entries().size();
            if (!page.more()) {
                break;
            }
        }
        for (Entry entry : taken) {
            driver.sendAt(now, dequeued(queue.projectId(), queue.type().name(), entry.id()).with("reason", "DISPATCHED"));
            backlog.merge(entry.clusterId() == null ? "" : entry.clusterId(), -1, Integer::sum);
            score(entry.id());
        }
    }

    /** An operator raises 1-5 queued entries to priority 20 (the batch call). */
    private void raisePriorities() {
        List<Long> ids = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            Long id = randomQueued();
            if (id != null && !ids.contains(id)) {
                ids.add(id);
            }
        }
        if (!ids.isEmpty()) {
            driver.submitAt(now, new SetPriority("sim-" + commands++, queue, ids, 20));
        }
    }

    /** An operator moves a queued entry: to the top half the time, else up, down or to the tail. */
    private void move() {
        Long id = randomQueued();
        if (id == null) {
            return;
        }
        double draw = random.nextDouble();
        MoveOperation operation = draw < 0.5 ? MoveOperation.MOVE_TOP : draw < 0.7 ? MoveOperation.MOVE_UP
                : draw < 0.85 ? MoveOperation.MOVE_DOWN : MoveOperation.MOVE_TAIL;
        driver.submitAt(now, new MoveEntry("sim-" + commands++, queue, id, operation));
    }

    private Long randomQueued() {
        long total = reader.list(new ListQuery(queue, Filters.NONE, 1, 0), now).total();
        if (total == 0) {
            return null;
        }
        int offset = (int) Math.min(random.nextLong(total), Integer.MAX_VALUE);
        List<Entry> page = reader.list(new ListQuery(queue, Filters.NONE, 1, offset), now).entries();
        return page.isEmpty() ? null : page.get(0).id();
    }

    /** Every queued entry's position and estimate now, as the unfiltered list gives them page by page. */
    private void sample() {
        int offset = 0;
        Page page;
        do {
            page = reader.list(new ListQuery(queue, Filters.NONE, ListQuery.MAX_LIMIT, offset), now);
            for (int i = 0; i < page.entries().size(); i++) {
                WaitEstimate wait = page.waits().isEmpty() ? null : page.waits().get(i);
                samples.computeIfAbsent(page.entries().get(i).id(), id -> new Samples())
                        .add(now.getEpochSecond(), offset + i + 1, wait == null ? -1 : wait.waitSeconds());
            }
            offset += page.entries().size();
        } while (page.more());
    }

    /** A dispatched entry: each estimate it was given against the wait it really had from then. */
    private void score(long id) {
        Samples given = samples.remove(id);
        if (given == null) {
            return;
        }
        scoredEntries++;
        for (int i = 0; i < given.size; i++) {
            int band = band(given.positions[i]);
            sampledPerBand[band]++;
            if (given.estimates[i] < 0) {
                withoutPerBand[band]++;
                continue;
            }
            double actual = now.getEpochSecond() - given.times[i];
            errors.get(band).add(Math.abs(given.estimates[i] - actual) / Math.max(actual, LEAST_ACTUAL_S));
        }
    }

    static int band(long position) {
        return position <= 10 ? 0 : position <= 100 ? 1 : position <= 1000 ? 2 : 3;
    }

    private Map<String, Object> figures(long seed) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seed", seed);
        figures.put("entries_scored", scoredEntries);
        figures.put("entries_sampled_never_dispatched", samples.size());
        List<Double> all = new ArrayList<>();
        long sampled = 0;
        long without = 0;
        for (int band = 0; band < BANDS.length; band++) {
            figures.put(BANDS[band], row(errors.get(band), sampledPerBand[band], withoutPerBand[band]));
            all.addAll(errors.get(band));
            sampled += sampledPerBand[band];
            without += withoutPerBand[band];
        }
        figures.put("overall", row(all, sampled, without));
        return figures;
    }

    private static Map<String, Object> row(List<Double> errors, long sampled, long without) {
        double[] sorted = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("samples", sampled);
        row.put("no_estimate_share", sampled == 0 ? 0.0 : (double) without / sampled);
        row.put("p50", percentile(sorted, 0.50));
        row.put("p90", percentile(sorted, 0.90));
        return row;
    }

    private static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    /** One entry's samples, in growing arrays. */
    private static final class Samples {
        long[] times = new long[16];
        int[] positions = new int[16];
        long[] estimates = new long[16];
        int size;

        void add(long time, int position, long estimate) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                positions = Arrays.copyOf(positions, size * 2);
                estimates = Arrays.copyOf(estimates, size * 2);
            }
            times[size] = time;
            positions[size] = position;
            estimates[size] = estimate;
            size++;
        }
    }

    /** The markdown table of one or more seeds' figures. */
    @SuppressWarnings("unchecked")
    static String table(List<Map<String, Object>> runs) {
        StringBuilder table = new StringBuilder("| seed | position band | samples | no estimate | p50 abs(est - actual) / actual"
                + " | p90 |\n|---:|---|---:|---:|---:|---:|\n");
        for (Map<String, Object> run : runs) {
            List<String> rows = new ArrayList<>(Arrays.asList(BANDS));
            rows.add("overall");
            for (String band : rows) {
                Map<String, Object> row = (Map<String, Object>) run.get(band);
                table.append(String.format("| %d | %s | %d | %.1f %% | %.1f %% | %.1f %% |%n", run.get("seed"), band,
                        row.get("samples"), 100 * (double) row.get("no_estimate_share"), 100 * (double) row.get("p50"),
                        100 * (double) row.get("p90")));
            }
            table.append(String.format("| %d | (entries scored %d; sampled but never dispatched %d) | | | | |%n",
                    run.get("seed"), run.get("entries_scored"), run.get("entries_sampled_never_dispatched")));
        }
        return table.toString();
    }
}
