package io.queueview.testing;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test queues spread over the partitions (one RESIM queue per project) and how the instances of a group answer
 * them: any instance answers any queue, from the queue's owner — itself, or the owner it forwarded the call to,
 * which the answer names in {@code meta_info.answered_by}.
 */
public record QueueAnswers(List<String> projects, int entriesPerQueue) {

    private static final Pattern ANSWERED_BY = Pattern.compile("\"answered_by\":\"[^\"]*:(\\d+)\"");
    private static final Pattern META_INFO = Pattern.compile("\"meta_info\":\\{[^}]*}");

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

    /** The queue's page as this instance answers it (200 with every entry), without meta_info; else empty. */
    public Optional<String> page(ServiceInstance instance, String project) {
        return answer(instance, project).map(body -> META_INFO.matcher(body).replaceAll(""));
    }

    /** The port of the instance that answered the queue's list through this one; empty when none did. */
    public Optional<Integer> answeredBy(ServiceInstance instance, String project) {
        return answer(instance, project).map(body -> {
            Matcher forwarded = ANSWERED_BY.matcher(body);
            return forwarded.find() ? Integer.parseInt(forwarded.group(1)) : instance.port();
        });
    }

    /**
     * True when every queue answers its whole page on every one of these instances, the same page everywhere,
     * answered by one and the same owner among them.
     */
    public boolean answeredEverywhere(List<ServiceInstance> instances) {
        List<Integer> ports = instances.stream().map(ServiceInstance::port).toList();
        for (String project : projects) {
            String page = null;
            Integer owner = null;
            for (ServiceInstance instance : instances) {
                Optional<String> answer = page(instance, project);
                Optional<Integer> answeredBy = answeredBy(instance, project);
                if (answer.isEmpty() || answeredBy.isEmpty() || !ports.contains(answeredBy.get())
                        || (page != null && !page.equals(answer.get()))
                        || (owner != null && !owner.equals(answeredBy.get()))) {
                    return false;
                }
                page = answer.get();
                owner = answeredBy.get();
            }
        }
        return true;
    }

    /** Each queue's owner among the instances: the one that answers the queue itself. */
    public Map<String, ServiceInstance> owners(List<ServiceInstance> instances) {
        Map<String, ServiceInstance> owners = new LinkedHashMap<>();
        for (String project : projects) {
            int port = answeredBy(instances.get(0), project).orElseThrow();
            owners.put(project, instances.stream().filter(instance -> instance.port() == port).findFirst().orElseThrow());
        }
        return owners;
    }

    /**
     * Whether a list answer counts every entry of the queue: page_info's total, followed by the end of page_info
     * or, when the queue is longer than a page, by its next_page_token.
     */
    public boolean whole(String listAnswer) {
        return listAnswer.contains("\"total\":" + entriesPerQueue + "}")
                || listAnswer.contains("\"total\":" + entriesPerQueue + ",\"next_page_token\"");
    }

    private Optional<String> answer(ServiceInstance instance, String project) {
        try {
            HttpResponse<String> response = instance.get(list(project));
            return response.statusCode() == 200 && whole(response.body()) ? Optional.of(response.body())
                    : Optional.empty();
        } catch (UncheckedIOException notAnswering) {
            return Optional.empty();
        }
    }
}
