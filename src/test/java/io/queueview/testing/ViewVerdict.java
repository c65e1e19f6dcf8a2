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
 * place misplaced; a listing that could not be had (not 200) counts as unanswered. Read while the flow is paused;
 * with how long the view took to equal the model (or the whole wait), and whether it still changed at the end
 * (a view still catching up, whose pages may then show an entry twice or not at all as it moves between them).
 */
public record ViewVerdict(int listings, long entries, long lost, long duplicated, long extra, long misplaced,
                          long unanswered, String firstDifference, Duration waited, boolean settled) {

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
        long started = System.nanoTime();
        Judged judged = judge(flow, instances);
        Judged before = null;
        while (!judged.verdict().right() && System.nanoTime() < started + catchUp.toNanos()) {
            Thread.sleep(200);
            before = judged;
            judged = judge(flow, instances);
        }
        ViewVerdict verdict = judged.verdict();
        return new ViewVerdict(verdict.listings, verdict.entries, verdict.lost, verdict.duplicated, verdict.extra,
                verdict.misplaced, verdict.unanswered, verdict.firstDifference,
                Duration.ofNanos(System.nanoTime() - started),
                verdict.right() || (before != null && before.listings().equals(judged.listings())));
    }

    /** A verdict on one round of listings, and the listings themselves (to tell whether the view still moves). */
    private record Judged(ViewVerdict verdict, List<Optional<List<EventFlow.Entry>>> listings) {
    }

    private static Judged judge(EventFlow flow, List<ServiceInstance> instances) {
        List<Optional<List<EventFlow.Entry>>> all = new ArrayList<>();
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
                all.add(answer);
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
        return new Judged(new ViewVerdict(listings, entries, lost, duplicated, extra, misplaced, unanswered, first,
                Duration.ZERO, false), all);
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
            entries.addAll(EventFlow.Entry.listedIn(page));
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
        String first = firstDifference == null || firstDifference.length() < 600 ? firstDifference
                : firstDifference.substring(0, 600) + "...";
        return String.format("%d listings of %,d entries: %d lost, %d duplicated, %d extra, %d misplaced, %d unanswered"
                        + " (%s after %.1f s)%s", listings, entries, lost, duplicated, extra, misplaced, unanswered,
                right() ? "equal to the model" : settled ? "settled, not equal" : "still changing",
                waited.toMillis() / 1e3, right() ? "" : "; first difference: " + first);
    }
}
