package io.queueview.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The benchmark's data set, the same for every run (fixed seed): entries over 100 projects, a fifth of them in
 * one queue (project 0's PROCESSOR queue), with realistic spreads — priorities -50..50 with many at 0, rank_stamps
 * with ties, both cluster types over tens of cluster ids, thousands of data ids, tens of processor names, every
 * job and output type.
 */
final class BenchData {

    static final int PROJECTS = 100;
    static final QueueId BIG_QUEUE = new QueueId(project(0), QueueType.PROCESSOR);
    static final QueueId SMALL_QUEUE = new QueueId(project(1), QueueType.PROCESSOR);
    static final String[] JOB_TYPES = {"PACKAGE_IMPORT", "PACKAGE_DELETE", "SCENARIO_AUTO_MINING", "SCENARIO_TO_SIM",
        "FRAME_EXTRACT", "SCENARIO_EXTRACT"};
    static final String[] OUTPUT_TYPES = {"DATA_MARK", "OPEN_DATA", "DATA_SET", "REPLAY_SIM", "PLOT_DATA"};
    static final int CLUSTERS_PER_TYPE = 20;
    static final int DATA_IDS = 5000;
    static final int PROCESSOR_NAMES = 30;
    private static final long FIRST_RANK_STAMP = 1_764_547_200_000L;
    private static final JsonFactory JSON = new JsonFactory();

    private final int size;
    private final long seed;

    BenchData(int size, long seed) {
        this.size = size;
        this.seed = seed;
    }

    int size() {
        return size;
    }

    static String project(int index) {
        return String.format("bench-project-%03d", index);
    }

    /** How many entries go to the big queue: a fifth of all. */
    int bigQueueSize() {
        return size / 5;
    }

    /** Every queue that holds entries (for "is everything queryable" checks). */
    List<QueueId> queues() {
        List<QueueId> queues = new ArrayList<>();
        for (int p = 0; p < PROJECTS; p++) {
            for (QueueType type : QueueType.values()) {
                queues.add(new QueueId(project(p), type));
            }
        }
        return queues;
    }

    /** The entries in generation order; the same sequence on every call. */
    Iterator<Entry> entries() {
        SplittableRandom random = new SplittableRandom(seed);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return entry(next++, random);
            }
        };
    }

    private Entry entry(int index, SplittableRandom random) {
        QueueId queue;
        if (index < bigQueueSize()) {
            queue = BIG_QUEUE;
        } else {
            int rest = index - bigQueueSize();
            queue = new QueueId(project(1 + rest % (PROJECTS - 1)), QueueType.values()[(rest / (PROJECTS - 1)) % 3]);
        }
        boolean internal = queue.type() == QueueType.INTERNAL;
        int priority = random.nextInt(2) == 0 ? 0 : random.nextInt(101) - 50;
        long rankStamp = FIRST_RANK_STAMP + (index / 3) * 250L; // three at a time share a rank_stamp
        String clusterType = null;
        String clusterId = null;
        int cluster = random.nextInt(3);
        if (cluster > 0) {
            clusterType = cluster == 1 ? "CCE" : "MODELARTS";
            clusterId = String.format(cluster == 1 ? "cce-%02d" : "ma-%02d", random.nextInt(CLUSTERS_PER_TYPE));
        }
        return new Entry(queue, index + 1L, 7L * index + 13, priority, rankStamp,
                internal ? null : (long) (1 + random.nextInt(300)),
                internal ? null : (random.nextBoolean() ? "USER" : "SCHEDULE"),
                internal ? null : "proc-" + String.format("%02d", random.nextInt(PROCESSOR_NAMES)),
                JOB_TYPES[random.nextInt(JOB_TYPES.length)],
                String.format("DPK%07d", random.nextInt(DATA_IDS)),
                internal ? null : OUTPUT_TYPES[random.nextInt(OUTPUT_TYPES.length)],
                random.nextBoolean() ? "2Core_8GiB" : "8Core_32GiB_1GPU",
                String.format("ws-%03d-%08x", random.nextInt(40), random.nextInt()),
                clusterType, clusterId);
    }

    /** The JOB_ENQUEUED event of an entry, as the scheduler would publish it (about 400 bytes). */
    static byte[] enqueued(Entry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("event_type", "JOB_ENQUEUED");
            json.writeStringField("project_id", entry.queue().projectId());
            json.writeStringField("queue_type", entry.queue().type().name());
            json.writeNumberField("id", entry.id());
            json.writeNumberField("version", 1);
            json.writeNumberField("event_time", entry.rankStamp() + 17);
            json.writeNumberField("job_id", entry.jobId());
            json.writeNumberField("priority", entry.priority());
            json.writeNumberField("rank_stamp", entry.rankStamp());
            if (entry.processorId() != null) {
                json.writeNumberField("processor_id", entry.processorId());
            }
            text(json, "source", entry.source());
            text(json, "processor_name", entry.processorName());
            text(json, "job_type", entry.jobType());
            text(json, "data_id", entry.dataId());
            text(json, "output_type", entry.outputType());
            text(json, "resource_spec", entry.resourceSpec());
            text(json, "workspace_id", entry.workspaceId());
            text(json, "cluster_type", entry.clusterType());
            text(json, "cluster_id", entry.clusterId());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void text(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
