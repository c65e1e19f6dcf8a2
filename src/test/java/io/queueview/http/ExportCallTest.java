package io.queueview.http;

import static io.queueview.testing.ApiFixture.READER;
import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.query.Filters;
import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ApiOnDriver;
import io.queueview.testing.EventJson;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The list call's export over HTTP: every entry that matches the filters, in queue order, as NDJSON or CSV, across
 * the batches it is read in (more entries than one batch), checked against the stored entries sorted and filtered
 * here; and how the format is chosen.
 */
class ExportCallTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/v1.0/p/data/queuing-jobs";
    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final int ENTRIES = ListExport.BATCH * 2 + 345;

    @RegisterExtension
    final ApiOnDriver api = new ApiOnDriver();
    private ProjectorDriver driver;

    @BeforeEach
    void start() {
        driver = api.driver();
    }

    /** More entries than two batches, of several priorities, output types and clusters. */
    private void fill() {
        Random random = new Random(22);
        for (int id = 1; id <= ENTRIES; id++) {
            EventJson event = enqueued("p", "PROCESSOR", id).with("priority", random.nextInt(5) - 2)
                    .with("rank_stamp", random.nextInt(100_000)).with("data_id", "D" + random.nextInt(50))
                    .with("output_type", random.nextBoolean() ? "DATA_MARK" : "DATA_SET");
            if (random.nextInt(3) > 0) {
                event.with("cluster_type", "MODELARTS").with("cluster_id", "ma-" + random.nextInt(3));
            }
            if (id % 1000 == 7) { // a text a CSV must quote
                event.with("resource_spec", "4Core, \"fast\"\nline");
            }
            driver.send(event);
        }
    }

    @Test
    void exportsEveryEntryOfTheQueueInQueueOrderAsNdjson() throws IOException {
        fill();
        HttpResponse<String> export = api.http().get(BASE + "?queue_type=PROCESSOR&format=ndjson", READER);
        assertEquals(200, export.statusCode(), export.body());
        assertEquals("application/x-ndjson; charset=utf-8", export.headers().firstValue("Content-Type").orElseThrow());
        List<Entry> expected = driver.stored(QUEUE);
        String[] lines = export.body().split("\n");
        assertEquals(ENTRIES, expected.size());
        assertEquals(expected.size(), lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(expected.get(i).id(), JSON.readTree(lines[i]).get("id").asLong(), "line " + i);
        }
        // each line is the entry as the list call shows it
        JsonNode head = JSON.readTree(api.http().get(BASE + "?queue_type=PROCESSOR&limit=1", READER).body())
                .at("/payload/list/0");
        JsonNode first = JSON.readTree(lines[0]);
        head.fieldNames().forEachRemaining(field -> {
            if (!field.startsWith("estimate") && !field.equals("dispatch_rate_per_minute")) {
                assertEquals(head.get(field), first.get(field), field);
            }
        });
    }

    @Test
    void exportsTheFilteredListAsCsvQuotingWhatMustBeQuoted() throws IOException {
        fill();
        HttpResponse<String> export = api.http().send("GET", BASE + "?queue_type=PROCESSOR&output_type=DATA_MARK",
                Map.of("X-Auth-Token", READER, "Accept", "text/csv"), null);
        assertEquals(200, export.statusCode(), export.body());
        assertEquals("text/csv; charset=utf-8", export.headers().firstValue("Content-Type").orElseThrow());
        Filters filters = new Filters(null, "DATA_MARK", null, null, null, null, null);
        List<Entry> expected = driver.stored(QUEUE).stream().filter(filters::matches).toList();
        List<List<String>> rows = csv(export.body());
        assertEquals(List.of("id", "job_id", "processor_id", "source", "processor_name", "job_type", "data_id",
                "output_type", "rank_stamp", "project_id", "resource_spec", "priority", "queue_type", "workspace_id",
                "cluster_type", "cluster_id"), rows.get(0));
        assertEquals(expected.size(), rows.size() - 1);
        assertTrue(expected.size() > ListExport.BATCH, "more matches than a batch: " + expected.size());
        boolean quoted = false;
        for (int i = 0; i < expected.size(); i++) {
            Entry entry = expected.get(i);
            List<String> row = rows.get(i + 1);
            assertEquals(List.of(Long.toString(entry.id()), Long.toString(entry.jobId()), "", "", "", "",
                    entry.dataId(), "DATA_MARK", Long.toString(entry.rankStamp()), "p",
                    orEmpty(entry.resourceSpec()), Integer.toString(entry.priority()),
                    "PROCESSOR", "", orEmpty(entry.clusterType()), orEmpty(entry.clusterId())), row, "row " + (i + 1));
            quoted |= entry.resourceSpec() != null;
        }
        assertTrue(quoted, "a quoted value was exported");
    }

    @Test
    void theFormatParameterOverridesAcceptAndAPagesParametersAreRefusedWithAnExport() {
        HttpResponse<String> json = api.http().send("GET", BASE + "?queue_type=PROCESSOR&format=json",
                Map.of("X-Auth-Token", READER, "Accept", "text/csv"), null);
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> firstListed = api.http().send("GET", BASE + "?queue_type=PROCESSOR",
                Map.of("X-Auth-Token", READER, "Accept", "application/json, text/csv"), null);
        assertEquals("application/json", firstListed.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> xml = api.http().get(BASE + "?queue_type=PROCESSOR&format=xml", READER);
        assertEquals(400, xml.statusCode());
        assertTrue(xml.body().contains("format 'xml'"), xml.body());
        HttpResponse<String> limited = api.http().get(BASE + "?queue_type=PROCESSOR&format=csv&limit=5", READER);
        assertEquals(400, limited.statusCode());
        assertTrue(limited.body().contains("limit does not apply to an export"), limited.body());
        assertEquals(401, api.http().get(BASE + "?queue_type=PROCESSOR&format=csv", null).statusCode());
    }

    @Test
    void anInternalQueuesExportHasNoProcessorColumns() {
        driver.send(enqueued("p", "INTERNAL", 1).with("job_type", "FRAME_EXTRACT"));
        HttpResponse<String> export = api.http().get(BASE + "?queue_type=INTERNAL&format=csv", READER);
        assertEquals("id,job_id,job_type,data_id,rank_stamp,project_id,resource_spec,priority,queue_type,"
                + "workspace_id,cluster_type,cluster_id\r\n1,1,FRAME_EXTRACT,,1000001,p,,0,INTERNAL,,,\r\n",
                export.body());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** RFC 4180: rows end with CRLF; a quoted field may hold commas, doubled quotes and line breaks. */
    private static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
