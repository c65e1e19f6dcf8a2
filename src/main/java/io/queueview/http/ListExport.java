package io.queueview.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.queueview.query.Filters;
import io.queueview.query.OwnedElsewhere;
import io.queueview.query.QueueUnavailable;
import io.queueview.query.QueueReader;
import io.queueview.queue.Entry;
import io.queueview.queue.EntryJson;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The list call's export: every entry that matches the filters, in queue order, as CSV or NDJSON, written as it is
 * read — batches of {@link #BATCH} entries, each read under the queue's read lock and written after it is let go,
 * the next one continuing strictly after the last entry written (as a page token does: an entry that stays queued
 * in its place is written exactly once, in order, whatever else comes or goes meanwhile). So the answer is never held
 * whole, and a slow client never holds the queue's lock.
 */
final class ListExport {

    /** Entries read per lock: large enough that the seeks cost little, small enough to hold the lock briefly. */
    static final int BATCH = 2_000;
    private static final JsonFactory JSON = new JsonFactory();
    /** The CSV columns, as the JSON entry's fields; the INTERNAL queue has no processor columns. */
    private static final List<String> COLUMNS = List.of("id", "job_id", "processor_id", "source", "processor_name",
            "job_type", "data_id", "output_type", "rank_stamp", "project_id", "resource_spec", "priority",
            "queue_type", "workspace_id", "cluster_type", "cluster_id");
    private static final List<String> PROCESSOR_COLUMNS = List.of("processor_id", "source", "processor_name",
            "output_type");

    private final QueueReader reader;
    private final QueueId queue;
    private final Filters filters;
    private final ListFormat format;
    private List<Entry> first;

    /**
     * Reads the first batch now, so that a queue owned elsewhere or unavailable is answered as any list call before
     * anything is written.
     */
    ListExport(QueueReader reader, QueueId queue, Filters filters, ListFormat format) {
        this.reader = reader;
        this.queue = queue;
        this.filters = filters;
        this.format = format;
        this.first = reader.batch(queue, filters, null, BATCH);
    }

    /**
     * Writes the export. A failure after the first batch (the queue moved to another instance) ends it with an
     * exception: the answer then ends with the API's error body as its last line, not as if complete.
     */
    void writeTo(OutputStream out) throws IOException {
        OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        Writer text = new BufferedWriter(new OutputStreamWriter(buffered, StandardCharsets.UTF_8), 64 * 1024);
        // NDJSON straight to UTF-8 bytes (Jackson's byte generator): through a Writer it took twice as long
        JsonGenerator json = format == ListFormat.NDJSON ? JSON.createGenerator(buffered, JsonEncoding.UTF8) : null;
        if (json != null) {
            json.setRootValueSeparator(null);
        }
        boolean internal = queue.type() == QueueType.INTERNAL;
        if (format == ListFormat.CSV) {
            header(text, internal);
        }
        List<Entry> batch = first;
        first = null;
        while (true) {
            for (Entry entry : batch) {
                if (json != null) {
                    EntryJson.write(json, entry);
                    json.writeRaw('\n');
                } else {
                    row(text, entry, internal);
                }
            }
            if (batch.size() < BATCH) {
                break;
            }
            OrderKey last = OrderKey.of(batch.get(batch.size() - 1));
            try {
                batch = reader.batch(queue, filters, last, BATCH);
            } catch (OwnedElsewhere | QueueUnavailable moved) {
                // the answer has begun: it cannot be forwarded or made a 503 now; it ends with the error's body, so
                // its last line is not an entry (the server's handler writes it, and logs it)
                if (json != null) {
                    json.flush();
                }
                text.flush();
                buffered.flush();
                throw new QueueUnavailable("the export was cut off: " + moved.getMessage());
            }
        }
        if (json != null) {
            json.flush();
        }
        text.flush();
        buffered.flush();
    }

    private static void header(Writer out, boolean internal) throws IOException {
        boolean firstColumn = true;
        for (String column : COLUMNS) {
            if (internal && PROCESSOR_COLUMNS.contains(column)) {
                continue;
            }
            if (!firstColumn) {
                out.write(',');
            }
            out.write(column);
            firstColumn = false;
        }
        out.write("\r\n");
    }

    /** One row (RFC 4180): a field without a value is empty; one with a comma, quote or line break is quoted. */
    private static void row(Writer out, Entry entry, boolean internal) throws IOException {
        out.write(Long.toString(entry.id()));
        cell(out, Long.toString(entry.jobId()));
        if (!internal) {
            cell(out, entry.processorId() == null ? null : entry.processorId().toString());
            cell(out, entry.source());
            cell(out, entry.processorName());
        }
        cell(out, entry.jobType());
        cell(out, entry.dataId());
        if (!internal) {
            cell(out, entry.outputType());
        }
        cell(out, Long.toString(entry.rankStamp()));
        cell(out, entry.queue().projectId());
        cell(out, entry.resourceSpec());
        cell(out, Integer.toString(entry.priority()));
        cell(out, entry.queue().type().name());
        cell(out, entry.workspaceId());
        cell(out, entry.clusterType());
        cell(out, entry.clusterId());
        out.write("\r\n");
    }

    private static void cell(Writer out, String value) throws IOException {
        out.write(',');
        if (value == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.write(value);
            return;
        }
        out.write('"');
        out.write(value.replace("\"", "\"\""));
        out.write('"');
    }
}
