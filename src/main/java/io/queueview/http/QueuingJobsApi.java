package io.queueview.http;

import io.javalin.http.Context;
import io.queueview.query.ListQuery;
import io.queueview.query.QueueReader;
import io.queueview.query.QueueUnavailable;
import java.time.Clock;

/** The Job Queue API's calls on /v1.0/{project_id}/data/queuing-jobs: authorize, validate, answer. */
final class QueuingJobsApi {

    static final String PATH = "/v1.0/{project_id}/data/queuing-jobs";

    private final Tokens tokens;
    private final QueueReader reader;
    private final Clock clock;

    QueuingJobsApi(Tokens tokens, QueueReader reader, Clock clock) {
        this.tokens = tokens;
        this.reader = reader;
        this.clock = clock;
    }

    /** GET: one page of a queue, in queue order, with the total of the entries that match the filters. */
    void list(Context ctx) {
        String projectId = ctx.pathParam("project_id");
        tokens.authenticate(ctx.header("X-Auth-Token")).require(projectId, Caller.LIST);
        ListQuery query = ListParams.parse(projectId, ctx.queryParamMap());
        try {
            ApiServer.json(ctx, 200, ApiJson.page(reader.list(query), clock.instant()));
        } catch (QueueUnavailable e) {
            throw ApiError.unavailable(e.getMessage());
        }
    }
}
