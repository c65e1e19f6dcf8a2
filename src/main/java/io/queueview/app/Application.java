package io.queueview.app;

import static org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP;

import io.javalin.Javalin;
import io.queueview.changes.ChangeLog;
import io.queueview.changes.QueueChangesFeed;
import io.queueview.config.Settings;
import io.queueview.http.ApiServer;
import io.queueview.http.jetty.ServerTls;
import io.queueview.http.sse.StreamLimits;
import io.queueview.query.LocalStores;
import io.queueview.query.QueueReader;
import io.queueview.query.StreamsLocalStores;
import io.queueview.time.Ticker;
import io.queueview.topology.QueueTopology;
import io.queueview.write.KafkaQueueWriter;
import io.queueview.write.QueueWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running queueview: the embedded broker (when no Kafka is configured), the topics, the Kafka Streams
 * view and the HTTP API, started in that order and closed in the reverse order.
 */
public final class Application implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** The one source of time, passed to every part that keeps a deadline or says what time it is. */
    private static final Ticker TIME = Ticker.SYSTEM;
    /** How often the HTTPS certificate's files are looked at for a renewal. */
    private static final Duration TLS_RELOAD = Duration.ofSeconds(5);
    /** A cluster that does not answer the first calls within this is reported, not waited for. */
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    /** A forwarded write waits for its command on the owner: the owner's wait, and time for the round trip. */
    private static final Duration FORWARD_MARGIN = Duration.ofSeconds(5);

    private final Settings settings;
    private EmbeddedKafka broker;
    private String bootstrapServers;
    private AccessTokens tokens;
    private KafkaStreams streams;
    private KafkaProducer<byte[], byte[]> commands;
    private Javalin http;
    private ServiceMetrics metrics;
    private QueueReader reader;
    private QueueChangesFeed changes;
    private Admin admin;
    private ScheduledExecutorService housekeeping;
    private StartProgress progress;

    private Application(Settings settings) {
        this.settings = settings;
    }

    /** Starts everything; on a failure closes what was started and rethrows. */
    public static Application start(Settings settings) throws Exception {
        Application app = new Application(settings);
        try {
            app.startAll();
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(settings.dataDir());
        if (settings.kafka().embedded()) {
            broker = EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.kafka().embeddedPort());
            bootstrapServers = broker.bootstrapServers();
            LOG.info("embedded Kafka broker on {} (data in {})", bootstrapServers, settings.dataDir().resolve("kafka"));
        } else {
            bootstrapServers = settings.kafka().bootstrap();
        }
        Map<String, Object> setup = settings.kafka().client(bootstrapServers);
        setup.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) SETUP_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(setup)) {
            Topics.ensure(admin, settings, bootstrapServers);
            StreamsGroupConfig.apply(admin, settings);
            if (settings.demo()) {
                int written = DemoData.loadIfEmpty(admin, settings.kafka().client(bootstrapServers),
                        settings.topics().events());
                if (written > 0) {
                    LOG.info("wrote {} demo events to {}", written, settings.topics().events());
                }
            }
        }
        tokens = AccessTokens.load(settings);
        if (settings.auth().jwks() != null) { // where the keys come from, and what is checked; never a token
            LOG.info("JWTs accepted: RS256/ES256 by keys from {}, issuer {}, audience {}", settings.auth().jwks(),
                    settings.auth().jwtIssuer() == null ? "any" : settings.auth().jwtIssuer(),
                    settings.auth().jwtAudience() == null ? "any" : settings.auth().jwtAudience());
        }

        // The HTTP server binds its port first (0 = any free one): application.server must name it. Until the view
        // is attached below, calls answer 503 "starting".
        AtomicReference<LocalStores> view = new AtomicReference<>();
        AtomicReference<QueueWriter> writes = new AtomicReference<>();
        housekeeping = housekeeping();
        reader = new QueueReader(new StartingStores(view), TIME);
        metrics = new ServiceMetrics(reader, settings.metricsMaxQueues(), TIME, housekeeping);
        AtomicReference<ChangeLog> changeLog = new AtomicReference<>();
        ServerTls tls = settings.http().tls() == null ? null : new ServerTls(settings.http().tls());
        http = ApiServer.start(settings.http().host(), settings.http().port(), new ApiServer.Parts(
                tokens.authenticator(), reader, new StartingWriter(writes), TIME, housekeeping, settings.writeTimeout().plus(FORWARD_MARGIN),
                metrics, settings.metricsNeedToken(), changeLog::get, new StreamLimits(
                        settings.http().changeStreamsMax(), settings.http().changeStreamsPerToken()), tls,
                settings.http().standbyMaxLag()));
        HostInfo self = new HostInfo(settings.http().advertisedHost(), http.port());
        streams = new KafkaStreams(QueueTopology.build(settings, metrics::dispatched), QueueTopology.streamsConfig(
                settings, bootstrapServers, self.host() + ":" + self.port(),
                InstanceIdentity.groupInstanceId(settings.dataDir())));

        RestoreProgress restores = new RestoreProgress();
        streams.setGlobalStateRestoreListener(restores);
        admin = Admin.create(settings.kafka().client(bootstrapServers));
        HangingTransactions hanging = new HangingTransactions(admin, topic -> readCommitted(topic, settings),
                settings.view().applicationId());
        progress = new StartProgress(streams, settings.view().applicationId(), restores, hanging);
        StreamThreadFailures failures = new StreamThreadFailures(TIME::nanoTime);
        streams.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = failures.respond(e);
            if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
                LOG.warn("a stream thread failed; a new one takes its tasks over, which restore their stores", e);
            } else {
                LOG.error("stream thread failed; the view stops answering", e);
                progress.stopped(e);
            }
            return response;
        });
        StreamsLocalStores stores = new StreamsLocalStores(streams, self, settings.view().partitions(),
                settings.topics().commands(), progress::describe, TIME);
        streams.setStateListener((now, before) -> {
            stores.stateChanged();
            LOG.info("view state {} -> {}", before, now);
        });
        // a standby must be seen caught up before its owner dies to answer for it then
        housekeeping.scheduleWithFixedDelay(stores::sampleCopies, 1, 1, TimeUnit.SECONDS);
        Map<String, Object> writer = settings.kafka().client(bootstrapServers);
        writer.put(ProducerConfig.ACKS_CONFIG, "all");
        writer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        writer.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        commands = new KafkaProducer<>(writer, new ByteArraySerializer(), new ByteArraySerializer());
        writes.set(new KafkaQueueWriter(streams, stores, commands, settings.topics().commands(),
                settings.topics().audit(), settings.writeTimeout(), TIME));
        view.set(stores);
        metrics.bind(streams);
        streams.start();
        changes = QueueChangesFeed.start(settings.kafka().client(bootstrapServers), settings.topics().changes());
        changeLog.set(changes.log());
        watchTransactions(hanging);
        reportWhileStarting();
        if (tls != null) {
            housekeeping.scheduleWithFixedDelay(tls::reloadIfChanged, TLS_RELOAD.toSeconds(), TLS_RELOAD.toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    /**
     * The one scheduler of the service's periodic work: the HTTP server's deadlines, the Kafka meters' refresh, the
     * looks for hanging transactions, the TLS reload. Two threads: a look for hanging transactions may block on the
     * cluster for seconds, and the server's deadlines are kept meanwhile.
     */
    private static ScheduledExecutorService housekeeping() {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "queueview-housekeeping-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The topics queueview's transactions write and queueview reads read_committed: Kafka Streams' internal ones
     * (repartition, changelogs) and the changes topic (the change streams' feed). A hanging transaction on the audit
     * or dead-letter topic stalls nothing of queueview's, and a secured cluster grants it no READ there.
     */
    private static boolean readCommitted(String topic, Settings settings) {
        return topic.startsWith(settings.view().applicationId() + "-") || topic.equals(settings.topics().changes());
    }

    /**
     * Looks for hanging transactions every second while the view is not ready (a start waits on them), and every
     * 30 s once it is (a later one stalls the view's freshness and the change streams instead).
     */
    private void watchTransactions(HangingTransactions hanging) {
        long[] lastRound = {0};
        housekeeping.scheduleWithFixedDelay(() -> {
            long now = TIME.nanoTime();
            if (progress.running() && now - lastRound[0] < TimeUnit.SECONDS.toNanos(30)) {
                return;
            }
            lastRound[0] = now;
            try {
                hanging.check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("could not look for hanging transactions", e);
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** A start that waits says what for, every 10 s. */
    private void reportWhileStarting() {
        long started = TIME.nanoTime();
        housekeeping.scheduleAtFixedRate(() -> {
            if (!reader.ready()) {
                LOG.info("not ready after {} s: {}", TimeUnit.NANOSECONDS.toSeconds(TIME.nanoTime() - started),
                        reader.waitingFor());
            }
        }, 10, 10, TimeUnit.SECONDS);
    }

    /** Waits until the view can answer lists; false when it did not within the timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = TIME.nanoTime() + timeout.toNanos();
        while (!reader.ready()) {
            if (TIME.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    public int httpPort() {
        return http.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The generated demo token, or null when a tokens file (or JWTs alone) is configured. */
    public String demoToken() {
        return tokens == null ? null : tokens.demoToken();
    }

    public QueueReader reader() {
        return reader;
    }

    /** Why the view stopped for good (a stream thread failed: a missing permission, say); empty while it runs. */
    public Optional<String> stopped() {
        return progress == null ? Optional.empty() : progress.stopped();
    }

    /** What the view waits for while it is not ready. */
    public String waitingFor() {
        return reader == null ? "starting" : reader.waitingFor();
    }

    /** Closes what was started, in the reverse order; a part that fails to close is logged and the rest still close. */
    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (changes != null) { // first: it ends the change streams, which the HTTP server would wait for
            closeLogged("the change streams' feed", changes::close);
        }
        if (http != null) {
            closeLogged("the HTTP server", http::stop);
        }
        if (metrics != null) {
            closeLogged("the metrics", metrics::close);
        }
        if (commands != null) {
            closeLogged("the commands producer", () -> commands.close(CLOSE_TIMEOUT));
        }
        if (streams != null) {
            // Leave the group: a restarted instance then gets its partitions at once, not after the session timeout.
            closeLogged("Kafka Streams", () -> streams.close(
                    CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(LEAVE_GROUP)));
        }
        if (admin != null) {
            closeLogged("the admin client", () -> admin.close(CLOSE_TIMEOUT));
        }
        if (broker != null) {
            closeLogged("the embedded broker", broker::close);
        }
    }

    private static void closeLogged(String part, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.error("could not close {}", part, e);
        }
    }
}
