package io.queueview.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The view, as every instance lists each queue of an {@link EventFlow} (all pages, followed by their page tokens),
 * compared with the flow's model of the events Kafka acknowledged: an entry the model has and a listing lacks is
 * lost, one listed twice duplicated, one listed the model lacks extra, one listed with another priority, rank stamp or
 * place misplaced; a listing that could not be had (not 200) counts as unanswered. Read while the flow is paused.
 */
public record ViewVerdict(int listings, long entries, long lost, long duplicated, long extra, long misplaced,
                          long unanswered, String firstDifference) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 50;

    public boolean right() {
        return lost == 0 && duplicated == 0 && extra == 0 && misplaced == 0 && unanswered == 0;
    }

    /**
     * Waits up to catchUp for every instance to list every queue as the model has it (the view applies the last
     * events a moment after Kafka acknowledged them), then judges the last listings.
     */
    public static ViewVerdict of(EventFlow flow, List<ServiceInstance> instances, Duration catchUp)
            throws InterruptedException {
        long deadline = System.nanoTime() + catchUp.toNanos();
        ViewVerdict verdict = judge(flow, instances);
        while (!verdict.right() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            verdict = judge(flow, instances);
        }
        return verdict;
    }

    private static ViewVerdict judge(EventFlow flow, List<ServiceInstance> instances) {
        int listings = 0;
        long entries = 0;
        long lost = 0;
        long duplicated = 0;
        long extra = 0;
        long misplaced = 0;
        long unanswered = 0;
        String first = null;
        for (ServiceInstance instance : instances) {
            for (String project : flow.projects()) {
                listings++;
                List<EventFlow.Entry> expected = flow.expected(project);
                entries += expected.size();
                Optional<List<EventFlow.Entry>> answer = listed(instance, project);
                if (answer.isEmpty()) {
                    unanswered++;
                    first = first != null ? first : instance.name() + " did not list " + project;
                    continue;
                }
                List<EventFlow.Entry> listed = answer.get();
                Map<Long, EventFlow.Entry> model = new HashMap<>();
                expected.forEach(entry -> model.put(entry.id(), entry));
                Set<Long> seen = new HashSet<>();
                for (EventFlow.Entry entry : listed) {
                    if (!seen.add(entry.id())) {
                        duplicated++;
                    } else if (!model.containsKey(entry.id())) {
                        extra++;
                    }
                }
                lost += model.keySet().stream().filter(id -> !seen.contains(id)).count();
                for (int i = 0; i < Math.min(listed.size(), expected.size()); i++) {
                    if (!listed.get(i).equals(expected.get(i)) && model.containsKey(listed.get(i).id())) {
                        misplaced++;
                    }
                }
                if (first == null && !listed.equals(expected)) {
                    first = instance.name() + " lists " + project + " as " + listed + " but the model has " + expected;
                }
            }
        }
        return new ViewVerdict(listings, entries, lost, duplicated, extra, misplaced, unanswered, first);
    }

    /** Every page of the queue as the instance lists it, one page token after another; empty if a page is not 200. */
    private static Optional<List<EventFlow.Entry>> listed(ServiceInstance instance, String project) {
        List<EventFlow.Entry> entries = new ArrayList<>();
        String token = null;
        do {
            String call = "/v1.0/" + project + "/data/queuing-jobs?queue_type=RESIM&limit=" + PAGE
                    + (token == null ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            HttpResponse<String> answer;
            try {
                answer = instance.get(call);
            } catch (UncheckedIOException notAnswering) {
                return Optional.empty();
            }
            if (answer.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode page = read(answer.body());
            for (JsonNode entry : page.at("/payload/list")) {
                entries.add(new EventFlow.Entry(entry.get("id").asLong(), entry.get("priority").asInt(),
                        entry.get("rank_stamp").asLong()));
            }
            JsonNode next = page.at("/payload/page_info/next_page_token");
            token = next.isTextual() ? next.asText() : null;
        } while (token != null);
        return Optional.of(entries);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return String.format("%d listings of %,d entries: %d lost, %d duplicated, %d extra, %d misplaced, %d unanswered%s",
                listings, entries, lost, duplicated, extra, misplaced, unanswered,
                right() ? "" : "; first difference: " + firstDifference);
    }
}
