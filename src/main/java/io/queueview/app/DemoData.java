package io.queueview.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.queueview.queue.ClusterType;
import io.queueview.queue.JobType;
import io.queueview.queue.OutputType;
import io.queueview.queue.QueueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A small, fixed demo data set for a newcomer: a few hundred entries over three projects, every queue type,
 * both cluster types and a spread of priorities, plus some updates and removals. Written as ordinary events of
 * the contract, only into an empty events topic.
 */
final class DemoData {

    static final List<String> PROJECTS = List.of("demo-project-1", "demo-project-2", "demo-project-3");
    private static final List<QueueType> QUEUE_TYPES = List.of(QueueType.values());
    private static final String[] PROCESSORS = {"lane-detection", "traffic-light-labeling", "lidar-camera-fusion",
        "pedestrian-tracking", "map-change-detection"};
    private static final OutputType[] OUTPUT_TYPES = OutputType.values();
    private static final JobType[] JOB_TYPES = JobType.values();
    private static final int[] PRIORITIES = {-50, -10, 0, 0, 0, 5, 10, 20, 50};
    private static final int ENTRIES_PER_QUEUE = 45;
    private static final long FIRST_RANK_STAMP = 1_764_547_200_000L; // 2025-12-01T00:00:00Z

    private DemoData() {
    }

    /** Writes the demo events when the events topic is empty; returns how many it wrote. */
    static int loadIfEmpty(Admin admin, Map<String, Object> kafkaClient, String topic)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> ends = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        boolean empty = admin.listOffsets(ends).all().get().values().stream().allMatch(end -> end.offset() == 0);
        if (!empty) {
            return 0;
        }
        List<ObjectNode> events = events();
        Map<String, Object> config = new HashMap<>(kafkaClient);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (ObjectNode event : events) {
                producer.send(new ProducerRecord<>(topic, event.get("id").asText(), event.toString()));
            }
            producer.flush();
        }
        return events.size();
    }

    static List<ObjectNode> events() {
        ObjectMapper json = new ObjectMapper();
        Random random = new Random(20251201L);
        List<ObjectNode> events = new ArrayList<>();
        for (String project : PROJECTS) {
            long id = 1;
            for (QueueType queueType : QUEUE_TYPES) {
                for (int i = 0; i < ENTRIES_PER_QUEUE; i++, id++) {
                    ObjectNode event = json.createObjectNode()
                            .put("event_type", "JOB_ENQUEUED").put("project_id", project)
                            .put("queue_type", queueType.name()).put("id", id).put("version", 1)
                            .put("job_id", 10_000 + id * 7)
                            .put("priority", PRIORITIES[random.nextInt(PRIORITIES.length)])
                            .put("rank_stamp", FIRST_RANK_STAMP + i * 60_000L + random.nextInt(1000))
                            .put("resource_spec", random.nextBoolean() ? "1Core_4GiB" : "4Core_16GiB")
                            .put("workspace_id", "ws-" + (1 + random.nextInt(3)))
                            .put("data_id", String.format("DPK%07d", 1 + random.nextInt(40)));
                    if (queueType == QueueType.INTERNAL) {
                        event.put("job_type", JOB_TYPES[random.nextInt(JOB_TYPES.length)].name());
                    } else {
                        event.put("processor_id", 100 + random.nextInt(PROCESSORS.length))
                                .put("processor_name", PROCESSORS[random.nextInt(PROCESSORS.length)])
                                .put("source", random.nextBoolean() ? "USER" : "SCHEDULE")
                                .put("output_type", queueType == QueueType.RESIM
                                        ? OutputType.REPLAY_SIM.name()
                                        : OUTPUT_TYPES[random.nextInt(OUTPUT_TYPES.length)].name());
                    }
                    if (random.nextInt(3) > 0) {
                        boolean modelArts = random.nextBoolean();
                        event.put("cluster_type", (modelArts ? ClusterType.MODELARTS : ClusterType.CCE).name())
                                .put("cluster_id", (modelArts ? "ma-pool-" : "cce-cluster-") + (1 + random.nextInt(3)));
                    }
                    events.add(event);
                }
            }
            // Some life after enqueueing: a few priority changes, and a quarter of the jobs dispatched.
            for (long changed = 3; changed < id; changed += 11) {
                events.add(json.createObjectNode().put("event_type", "JOB_UPDATED").put("project_id", project)
                        .put("queue_type", queueTypeOf(changed))
                        .put("id", changed).put("version", 2).put("priority", 30));
            }
            for (long removed = 2; removed < id; removed += 4) { // 11 a queue: enough for an estimated wait
                events.add(json.createObjectNode().put("event_type", "JOB_DEQUEUED").put("project_id", project)
                        .put("queue_type", queueTypeOf(removed))
                        .put("id", removed).put("version", 3).put("reason", "DISPATCHED"));
            }
        }
        return events;
    }

    /** Ids run through the queues in turn: 1..45 PROCESSOR, 46..90 INTERNAL, 91..135 RESIM. */
    private static String queueTypeOf(long id) {
        return QUEUE_TYPES.get((int) ((id - 1) / ENTRIES_PER_QUEUE)).name();
    }
}
