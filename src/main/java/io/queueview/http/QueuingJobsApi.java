package io.queueview.http;

import io.javalin.http.Context;
import io.queueview.command.CommandOutcome;
import io.queueview.command.MoveEntry;
import io.queueview.command.QueueCommand;
import io.queueview.command.RefusedWrite;
import io.queueview.command.SetPriority;
import io.queueview.http.auth.Authenticator;
import io.queueview.http.auth.Caller;
import io.queueview.http.error.ApiError;
import io.queueview.http.peer.Forwarding;
import io.queueview.http.sse.ChangeStreams;
import io.queueview.http.sse.JobWatches;
import io.queueview.query.Answered;
import io.queueview.query.EntryPosition;
import io.queueview.query.ListQuery;
import io.queueview.query.OwnedElsewhere;
import io.queueview.query.Page;
import io.queueview.query.QueueReader;
import io.queueview.query.QueueUnavailable;
import io.queueview.query.ReadFrom;
import io.queueview.query.ViewFreshness;
import io.queueview.query.WaitStats;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.time.Ticker;
import io.queueview.write.CommandPending;
import io.queueview.write.KafkaUnavailable;
import io.queueview.write.QueueWriter;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** The Job Queue API's calls on /v1.0/{project_id}/data/queuing-jobs: authorize, validate, answer. */
final class QueuingJobsApi {

    static final String PATH = "/v1.0/{project_id}/data/queuing-jobs";
    static final String BATCH_PATH = PATH + "/batch-update";
    static final String ENTRY_PATH = PATH + "/{id}";
    static final String CHANGES_PATH = PATH + "/changes";
    static final String STATS_PATH = PATH + "/stats";
    static final String WATCH_PATH = ENTRY_PATH + "/watch";
    private static final String BEARER = "Bearer ";

    private final Authenticator tokens;
    private final QueueReader reader;
    private final QueueWriter writer;
    private final Ticker time;
    private final HttpMetrics metrics;
    private final ChangeStreams changes;
    private final JobWatches watches;
    private final WatchPositions positions;

    QueuingJobsApi(Authenticator tokens, QueueReader reader, QueueWriter writer, Ticker time, HttpMetrics metrics,
                   ChangeStreams changes, JobWatches watches, WatchPositions positions) {
        this.tokens = tokens;
        this.reader = reader;
        this.writer = writer;
        this.time = time;
        this.metrics = metrics;
        this.changes = changes;
        this.watches = watches;
        this.positions = positions;
    }

    /**
     * GET list: one page of a queue, in queue order, with the total of the entries that match the filters, and when
     * more follow the token of the page after it.
     */
    void list(Context ctx, ReadFrom from) throws IOException {
        String projectId = authorize(ctx, Caller.LIST);
        ListQuery query = ListParams.parse(projectId, ctx.queryParamMap());
        ListFormat format = ListParams.format(ctx.queryParamMap(), ctx.header("Accept"));
        if (format != ListFormat.JSON) { // from the owner's view only: an export is no page to read in a pinch
            export(ctx, query, format);
            return;
        }
        Answered<Page> answered = reader.list(query, time.instant(), from);
        Page page = answered.value();
        String next = page.more() ? PageToken.after(page.entries().get(page.entries().size() - 1), query.queue(),
                query.filters()).text() : null;
        ApiServer.json(ctx, 200, ApiJson.page(page, next, meta(ctx, answered.view())));
    }

    /**
     * GET list as an export (CSV or NDJSON): every entry that matches the filters, in queue order, written as it is
     * read ({@link ListExport}). A client that leaves mid-way ends it (Javalin takes its write failure quietly).
     */
    private void export(Context ctx, ListQuery query, ListFormat format) throws IOException {
        ListExport export = new ListExport(reader, query.queue(), query.filters(), format);
        ctx.status(200).contentType(format.mediaType() + "; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"queuing-jobs-" + query.queue().type().name()
                + (format == ListFormat.CSV ? ".csv" : ".ndjson") + "\"");
        if (!"HEAD".equals(ctx.method().name())) {
            export.writeTo(ctx.res().getOutputStream());
        }
    }

    /**
     * GET one entry: its fields, its position (1 = next to be served), the queue's total, and how long it may wait
     * at the queue's pace up to now (this instance's clock: the owner's, for a forwarded call).
     */
    void position(Context ctx, ReadFrom from) {
        String projectId = authorize(ctx, Caller.LIST);
        if (PathParams.entryIdIs(ctx, "batch-update")) {
            throw ApiError.methodNotAllowed("GET is not served on " + ctx.path());
        }
        long id = PathParams.entryId(ctx);
        QueueType type = ListParams.queueType(ctx.queryParamMap());
        QueueId queue = new QueueId(projectId, type);
        Answered<Optional<EntryPosition>> answered = reader.entry(queue, id, time.instant(), from);
        EntryPosition position = answered.value().orElseThrow(() -> notQueued(queue, List.of(id)));
        ApiServer.json(ctx, 200, ApiJson.position(position, meta(ctx, answered.view())));
    }

    /**
     * GET stats: how long the queue's jobs wait (dispatches and their times in queue over the last hour and 24 hours)
     * and its depth a minute at a time, from the owner's stores, by record time up to now (the owner's clock). Never
     * from a standby copy.
     */
    void stats(Context ctx, ReadFrom ownerOnly) {
        String projectId = authorize(ctx, Caller.LIST);
        QueueId queue = new QueueId(projectId, ListParams.queueType(ctx.queryParamMap()));
        WaitStats stats = reader.stats(queue, time.instant());
        ApiServer.json(ctx, 200, ApiJson.stats(queue.type(), stats, meta(ctx, queue)));
    }

    /** GET changes: the queue's changes as Server-Sent Events, for as long as the client stays (ChangeStreams). */
    void changes(Context ctx) {
        String projectId = authorize(ctx, Caller.LIST);
        QueueId queue = new QueueId(projectId, ListParams.queueType(ctx.queryParamMap()));
        changes.stream(ctx.res(), queue, presentedToken(ctx), ctx.header("Last-Event-ID"));
    }

    /**
     * GET watch: one entry's position and estimate as Server-Sent Events until it leaves the queue (JobWatches);
     * served by any instance, the position read where the queue's view is.
     */
    void watch(Context ctx) {
        String projectId = authorize(ctx, Caller.LIST);
        long id = PathParams.entryId(ctx);
        QueueId queue = new QueueId(projectId, ListParams.queueType(ctx.queryParamMap()));
        Integer notifyAt = ListParams.notifyAtPosition(ctx.queryParamMap());
        watches.watch(ctx.res(), new JobWatches.Watched(queue, id, notifyAt), positions.of(ctx), presentedToken(ctx),
                ctx.header("Last-Event-ID"));
    }

    /** PUT one entry: move it; answers once the owning store has applied the move. */
    void move(Context ctx) {
        MoveEntry move = beforeCommand("MOVE", attempt -> {
            String projectId = authorize(ctx, Caller.UPDATE, attempt);
            return WriteBodies.move(projectId, PathParams.entryId(ctx), ctx.contentType(), ctx.bodyAsBytes(),
                    attempt.requestedBy);
        });
        long id = move.id();
        submit(move, List.of(id));
        Optional<EntryPosition> now = positionAfter(move);
        ApiJson.Meta meta = meta(ctx, move.queue());
        ApiServer.json(ctx, 200, now.map(position -> ApiJson.position(position, meta))
                .orElseGet(() -> ApiJson.metaOnly(meta)));
    }

    /** PUT batch-update: one priority for 1..50 entries, all or nothing. */
    void batch(Context ctx) {
        SetPriority set = beforeCommand("SET_PRIORITY", attempt -> WriteBodies.batch(
                authorize(ctx, Caller.UPDATE, attempt), ctx.contentType(), ctx.bodyAsBytes(), attempt.requestedBy));
        submit(set, set.ids());
        ApiServer.json(ctx, 200, ApiJson.priorities(set, meta(ctx, set.queue())));
    }

    /** The answer's meta_info: the time, who answered a forwarded call, and how fresh the queue's view is. */
    private ApiJson.Meta meta(Context ctx, QueueId queue) {
        ViewFreshness view;
        try {
            view = reader.freshness(queue);
        } catch (OwnedElsewhere | QueueUnavailable moved) { // moved since it answered: the answer stands without it
            view = null;
        }
        return meta(ctx, view);
    }

    private ApiJson.Meta meta(Context ctx, ViewFreshness view) {
        return new ApiJson.Meta(time.instant(), Forwarding.isForwarded(ctx) ? ctx.host() : null, view);
    }

    /** Refuses a call without a token that authenticates (401), whatever it may act on: for GET /metrics. */
    void requireToken(Context ctx) {
        tokens.authenticate(presentedToken(ctx));
    }

    /** The call's project, once the path is well-formed and the token may use the action on it. */
    private String authorize(Context ctx, String action) {
        return authorize(ctx, action, new WriteAttempt());
    }

    /** As above, noting in the attempt the project and the caller as each becomes known. */
    private String authorize(Context ctx, String action, WriteAttempt attempt) {
        attempt.projectId = PathParams.projectId(ctx);
        Caller caller = tokens.authenticate(presentedToken(ctx));
        attempt.requestedBy = caller.name();
        caller.require(attempt.projectId, action);
        return attempt.projectId;
    }

    /** A write call on its way to becoming a command: what the audit trail says of it if it is refused first. */
    private static final class WriteAttempt {
        String projectId;
        String requestedBy = "unauthenticated";
    }

    /**
     * Runs the steps that turn a write call into a command — authorization, the path, the body — and records a
     * refusal among them on the audit trail. Once a command exists the projector records what becomes of it.
     */
    private <T extends QueueCommand> T beforeCommand(String call, Function<WriteAttempt, T> steps) {
        WriteAttempt attempt = new WriteAttempt();
        try {
            return steps.apply(attempt);
        } catch (ApiError refused) {
            writer.refused(new RefusedWrite(call, attempt.projectId, attempt.requestedBy, refused.status(),
                    refused.code(), refused.getMessage(), time.instant()));
            throw refused;
        }
    }

    /**
     * The token in X-Auth-Token (the API's header), or else in "Authorization: Bearer" (where platforms that issue
     * JWTs put them); null when neither carries one.
     */
    static String presentedToken(Context ctx) {
        String token = ctx.header("X-Auth-Token");
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        return null;
    }

    /**
     * Where a moved entry stands now, read here where the move applied; empty when it is gone or the queue moved
     * to another instance meanwhile: the move is done, and a write is never forwarded after it applied.
     */
    private Optional<EntryPosition> positionAfter(MoveEntry move) {
        try {
            return reader.entry(move.queue(), move.id(), time.instant());
        } catch (OwnedElsewhere | QueueUnavailable moved) {
            return Optional.empty();
        }
    }

    private void submit(QueueCommand command, List<Long> ids) {
        long started = time.nanoTime();
        CommandOutcome outcome;
        try {
            outcome = writer.submit(command);
        } catch (CommandPending pending) {
            metrics.writeWaited("pending", time.nanoTime() - started);
            throw pending;
        } catch (KafkaUnavailable unavailable) {
            metrics.writeWaited("kafka_unavailable", time.nanoTime() - started);
            throw unavailable;
        }
        metrics.writeWaited(outcome.name().toLowerCase(Locale.ROOT), time.nanoTime() - started);
        switch (outcome) {
            case APPLIED -> { }
            case NOT_FOUND -> throw notQueued(command.queue(), ids);
            case NO_ROOM -> throw ApiError.conflict("the move needs a rank_stamp beyond the range of a Long; "
                    + "nothing changed");
            default -> throw new IllegalStateException("unknown command outcome");
        }
    }

    private static ApiError notQueued(QueueId queue, List<Long> ids) {
        return ApiError.notFound((ids.size() == 1 ? "entry " + ids.get(0) + " is not" : "not every one of " + ids + " is")
                + " queued in the " + queue.type() + " queue of project " + queue.projectId()
                + (ids.size() == 1 ? "" : "; nothing changed"));
    }
}
