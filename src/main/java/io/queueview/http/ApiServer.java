package io.queueview.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.queueview.changes.ChangeLog;
import io.queueview.http.auth.Authenticator;
import io.queueview.http.error.ApiError;
import io.queueview.http.jetty.JettyServer;
import io.queueview.http.jetty.ServerTls;
import io.queueview.http.peer.Forwarding;
import io.queueview.http.peer.PeerTls;
import io.queueview.http.sse.ChangeStreams;
import io.queueview.http.sse.JobWatches;
import io.queueview.http.sse.StreamLimits;
import io.queueview.http.sse.StreamSlots;
import io.queueview.query.OwnedElsewhere;
import io.queueview.query.QueueReader;
import io.queueview.query.QueueUnavailable;
import io.queueview.write.CommandPending;
import io.queueview.write.KafkaUnavailable;
import io.queueview.write.QueueWriter;
import io.queueview.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the Job Queue API, health checks, metrics, its contract (topology/openapi.yaml), and the one
 * place where failures become the API's error bodies. Nothing here touches Kafka Streams; answers come from a
 * {@link QueueReader}.
 */
public final class ApiServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Set on a call already answered (by its owner, forwarded): the server's own 404 and 405 leave it as it is. */
    static final String ANSWERED = "queueview.answered";
    /** The largest request body taken: a batch of 50 ids is under 2 KiB. */
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** How long a request head may take to arrive, whatever its pace. */
    static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);
    /** How long a connection may stay silent, between requests or within one. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private ApiServer() {
    }

    /**
     * What the server answers from.
     *
     * @param time             the one source of time: what answers say is now, and the server's deadlines
     * @param scheduler        runs the server's periodic checks (the header deadline's sweep, the forwarded calls' watchdog); shut down by its owner
     * @param forwardTimeout   how long an owner may take to answer a forwarded call (a write waits to apply there)
     * @param metrics          what GET /metrics answers, and where calls are counted
     * @param metricsNeedToken whether GET /metrics answers only calls with a token that authenticates
     * @param changes          the log the change streams follow; null until it runs (503 meanwhile)
     * @param tls              HTTPS, for the server and the calls it forwards; null for plain HTTP
     * @param standbyMaxLag    how far behind, in records, a standby copy may be to answer a read that does not say
     */
    public record Parts(Authenticator tokens, QueueReader reader, QueueWriter writer, Ticker time,
                        ScheduledExecutorService scheduler, Duration forwardTimeout, HttpMetrics metrics,
                        boolean metricsNeedToken, Supplier<ChangeLog> changes, StreamLimits streamLimits,
                        ServerTls tls, int standbyMaxLag) {
    }

    /** Starts on host:port (port 0 = a free port; {@link Javalin#port()} tells which). */
    public static Javalin start(String host, int port, Parts parts) {
        HttpMetrics metrics = parts.metrics();
        StreamSlots streams = new StreamSlots(parts.streamLimits());
        metrics.changeStreams(streams::open);
        QueueReader reader = parts.reader();
        ServerTls tls = parts.tls();
        Forwarding forwarding = new Forwarding(parts.forwardTimeout(), metrics,
                tls == null ? null : PeerTls.sockets(tls.settings().peerCa()), parts.time(), parts.scheduler());
        QueuingJobsApi api = new QueuingJobsApi(parts.tokens(), reader, parts.writer(), parts.time(),
                metrics, new ChangeStreams(parts.changes(), streams), new JobWatches(parts.changes(), streams),
                new WatchPositions(reader, forwarding, parts.time(), parts.standbyMaxLag()));
        Routing routing = new Routing(reader, forwarding, parts.standbyMaxLag());
        UnavailableLog unavailable = new UnavailableLog(LOG, parts.time());
        JettyServer jetty = new JettyServer(HEADER_DEADLINE, IDLE_TIMEOUT, parts.time(), parts.scheduler());
        byte[] contract = OpenApiDocument.json();
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // the queue page: static files in the jar, no build step
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/page";
                files.location = Location.CLASSPATH;
            });
            config.events.serverStopped(forwarding::close);
            config.events.serverStopped(jetty::close);
            config.jetty.modifyServer(jetty::configure);
            if (tls != null) { // Javalin's plain connector is made only when no other is added
                config.jetty.addConnector(tls.connector(host, port));
            }
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.routes.before(PathParams::checkEscapes);
            // routing first: where a call is answered (here, or forwarded) is decided before its handler runs
            config.routes.get(QueuingJobsApi.PATH, routing.read(api::list));
            // HEAD is GET without the body: same checks, same routing
            config.routes.head(QueuingJobsApi.PATH, routing.read(api::list));
            // batch-update first: a fixed segment is never taken for an {id}
            config.routes.put(QueuingJobsApi.BATCH_PATH, routing.write(api::batch));
            // "changes" is never taken for an {id}; any instance serves a change stream: it tails queue-changes
            config.routes.get(QueuingJobsApi.CHANGES_PATH, api::changes);
            // a watch is served by any instance too: the change log says when to look, the owner where it stands
            config.routes.get(QueuingJobsApi.WATCH_PATH, api::watch);
            config.routes.get(QueuingJobsApi.STATS_PATH, routing.read(api::stats)); // nor is "stats"
            config.routes.head(QueuingJobsApi.STATS_PATH, routing.read(api::stats));
            config.routes.get(QueuingJobsApi.ENTRY_PATH, routing.read(api::position));
            config.routes.head(QueuingJobsApi.ENTRY_PATH, routing.read(api::position));
            config.routes.put(QueuingJobsApi.ENTRY_PATH, routing.write(api::move));
            config.routes.get("/health/live", ctx -> ctx.result("live"));
            config.routes.head("/health/live", ctx -> ctx.result("live"));
            config.routes.get("/health/ready", ctx -> ready(ctx, reader));
            config.routes.head("/health/ready", ctx -> ready(ctx, reader));
            config.routes.get("/health/cluster", ctx -> json(ctx, 200, ApiJson.cluster(reader.cluster())));
            config.routes.get("/metrics", ctx -> {
                if (parts.metricsNeedToken()) {
                    api.requireToken(ctx);
                }
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            });
            config.routes.get("/openapi.json", ctx -> json(ctx, 200, contract)); // no token: the contract is public
            config.requestLogger.http((ctx, millis) -> metrics.answered(route(ctx), ctx.method().name(),
                    ctx.statusCode(), millis));
            // one handler per failure type; the 5xx ones log the failure once, with its cause
            config.routes.exception(ApiError.class, ApiServer::answer);
            // Javalin's own refusals (a body over maxRequestSize: 413), in the API's error body
            // (and its 404 for a path neither a route nor a file of the page serves, said as for any unknown path)
            config.routes.exception(HttpResponseException.class, (e, ctx) -> answer(e.getStatus() == 404
                    ? ApiError.notFound("no such path: " + ctx.path()) : ApiError.of(e.getStatus(), e.getMessage()), ctx));
            // OwnedElsewhere: the owner moved after the call was routed, or a forwarded write met a move
            for (Class<? extends Exception> notNow : List.of(QueueUnavailable.class, OwnedElsewhere.class,
                    CommandPending.class, KafkaUnavailable.class)) {
                config.routes.exception(notNow, (e, ctx) ->
                        fail(unavailable, ctx, ApiError.unavailable(e.getMessage()), e));
            }
            config.routes.exception(Exception.class, (e, ctx) -> fail(unavailable, ctx, ApiError.internal(), e));
            config.routes.error(404, ctx -> answerUnlessAnswered(ctx,
                    ApiError.notFound("no such path: " + ctx.path())));
            config.routes.error(405, ctx -> answerUnlessAnswered(ctx,
                    ApiError.methodNotAllowed(ctx.method() + " is not served on " + ctx.path())));
        }).start(host, port);
    }

    /** The route template a call matched ("/v1.0/{project_id}/data/queuing-jobs"), or "unmatched". */
    private static String route(Context ctx) {
        String path;
        try {
            path = ctx.endpoint().path;
        } catch (RuntimeException noEndpoint) { // refused before any route matched
            return "unmatched";
        }
        return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
    }

    static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    private static void ready(Context ctx, QueueReader reader) {
        if (!reader.ready()) {
            throw ApiError.unavailable("the view is not ready: " + reader.waitingFor());
        }
        ctx.result("ready");
    }

    /**
     * Answers a failure that is the server's side (5xx) and logs it with its cause chain: the method and path say
     * which call, never a header (tokens stay out of the log). A queue that is briefly unavailable is a warning,
     * one line a second for a burst; anything else an error, every time.
     */
    private static void fail(UnavailableLog unavailable, Context ctx, ApiError answer, Exception failure) {
        if (answer.status() == 503 || answer.status() == 502) {
            unavailable.answered(ctx.method() + " " + ctx.path(), answer.status(), failure);
        } else {
            LOG.error("{} {} answered {}", ctx.method(), ctx.path(), answer.status(), failure);
        }
        answer(answer, ctx);
    }

    private static void answer(ApiError error, Context ctx) {
        ctx.attribute(ANSWERED, true);
        if (error.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        json(ctx, error.status(), ApiError.body(error.code(), error.getMessage()));
    }

    private static void answerUnlessAnswered(Context ctx, ApiError error) {
        if (ctx.attribute(ANSWERED) == null) {
            answer(error, ctx);
        }
    }
}
