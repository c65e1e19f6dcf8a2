package io.queueview.testing;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test queues spread over the partitions (one RESIM queue per project) and which instance answers each: until
 * forwarding exists, a queue answers 200 only on the instance that owns its partition and 503 on the others.
 */
public record QueueAnswers(List<String> projects, int entriesPerQueue) {

    public static QueueAnswers of(int queues, int entriesPerQueue) {
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            projects.add("project-" + i);
        }
        return new QueueAnswers(List.copyOf(projects), entriesPerQueue);
    }

    /** Writes every queue's entries to the events topic. */
    public void produce(String eventsTopic) {
        List<Map.Entry<byte[], byte[]>> records = new ArrayList<>();
        for (String project : projects) {
            for (int id = 1; id <= entriesPerQueue; id++) {
                records.add(new SimpleEntry<>(project.getBytes(), EventJson.enqueued(project, "RESIM", id)
                        .with("priority", id % 7).version(1).bytes()));
            }
        }
        SharedBroker.produce(eventsTopic, records);
    }

    public static String list(String project) {
        return "/v1.0/" + project + "/data/queuing-jobs?queue_type=RESIM&limit=200";
    }

    /** The queue's page as listed by this instance, when it answers 200 with every entry; else empty. */
    public Optional<String> page(ServiceInstance instance, String project) {
        try {
            HttpResponse<String> response = instance.get(list(project));
            return response.statusCode() == 200 && response.body().contains("\"total\":" + entriesPerQueue + "}")
                    ? Optional.of(response.body().replaceAll("\"meta_info\":\\{[^}]*}", "")) : Optional.empty();
        } catch (UncheckedIOException notAnswering) {
            return Optional.empty();
        }
    }

    /** Each queue's answering instances (200 with every entry), in the order of the queues. */
    public Map<String, List<ServiceInstance>> answering(List<ServiceInstance> instances) {
        Map<String, List<ServiceInstance>> answering = new LinkedHashMap<>();
        for (String project : projects) {
            List<ServiceInstance> owners = new ArrayList<>();
            for (ServiceInstance instance : instances) {
                if (page(instance, project).isPresent()) {
                    owners.add(instance);
                }
            }
            answering.put(project, owners);
        }
        return answering;
    }

    /** True when every queue answers 200 on exactly one of the instances, and on the others 503 naming one of them. */
    public boolean eachAnsweredByItsOwner(List<ServiceInstance> instances) {
        for (String project : projects) {
            int owners = 0;
            for (ServiceInstance instance : instances) {
                if (page(instance, project).isPresent()) {
                    owners++;
                } else if (!namesAnOwnerAmong(instances, instance, project)) {
                    return false;
                }
            }
            if (owners != 1) {
                return false;
            }
        }
        return true;
    }

    /** A 503 that names one of the instances as the owner (not one that died). */
    private static boolean namesAnOwnerAmong(List<ServiceInstance> instances, ServiceInstance asked, String project) {
        try {
            HttpResponse<String> response = asked.get(list(project));
            return response.statusCode() == 503 && instances.stream().anyMatch(owner -> response.body()
                    .contains("is owned by instance 127.0.0.1:" + owner.port() + ","));
        } catch (UncheckedIOException notAnswering) {
            return false;
        }
    }
}
