package io.queueview.config;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything queueview can be told, read once from the environment (QUEUEVIEW_* variables) with defaults and
 * checked at start-up: a wrong value stops it with an {@link InvalidSetting} naming the variable. Grouped by what
 * they set, so that each group travels to the part that uses it.
 *
 * @param kafka            where the Kafka cluster is and how to reach it
 * @param topics           the topics queueview reads and writes
 * @param view             the Kafka Streams application that keeps the view
 * @param http             the HTTP server
 * @param auth             who may call
 * @param dataDir          the data folder: the stores, the embedded broker's log, the demo token
 * @param demo             whether demo data is loaded into an empty events topic
 * @param writeTimeout     how long a write call waits for its command to apply
 * @param metricsMaxQueues how many queues get a depth series of their own in /metrics; the rest are summed
 * @param metricsNeedToken whether GET /metrics answers only calls with a token that authenticates
 * @param logFormat        "text" (one short line per event) or "json" (one JSON object per line)
 * @param startTimeout     how long a start may wait for the view to be ready before it gives up
 */
public record Settings(
        Kafka kafka,
        Topics topics,
        View view,
        Http http,
        Auth auth,
        Path dataDir,
        boolean demo,
        Duration writeTimeout,
        int metricsMaxQueues,
        boolean metricsNeedToken,
        String logFormat,
        Duration startTimeout) {

    /**
     * @param bootstrap      bootstrap servers of a Kafka cluster, or null to start the embedded broker
     * @param embeddedPort   the embedded broker's port
     * @param clientSettings Kafka client settings for every client queueview makes (QUEUEVIEW_KAFKA_CONFIG:
     *                       security, config providers ...); empty when none
     */
    public record Kafka(String bootstrap, int embeddedPort, Map<String, String> clientSettings) {

        public boolean embedded() {
            return bootstrap == null;
        }

        /** The settings a Kafka client of queueview starts from: QUEUEVIEW_KAFKA_CONFIG's and the bootstrap servers. */
        public Map<String, Object> client(String bootstrapServers) {
            Map<String, Object> config = new HashMap<>(clientSettings);
            config.put("bootstrap.servers", bootstrapServers);
            return config;
        }
    }

    /** The topics: scheduler events in, dead letters, applied changes, write commands, the audit trail. */
    public record Topics(String events, String deadLetters, String changes, String commands, String audit) {
    }

    /**
     * @param applicationId       the Kafka Streams application id: the group, and the prefix of its internal topics
     * @param partitions          partition count of the repartition topic: bounds the parallelism
     * @param replicationFactor   of the topics queueview creates; -1 means the broker's default
     * @param processingGuarantee exactly_once_v2 or at_least_once
     * @param removalMarkerTtl    how long a removed entry's marker refuses a late event for it
     * @param streamThreads       Kafka Streams threads of this instance
     * @param commitInterval      how often Kafka Streams commits (a floor on freshness under exactly-once)
     * @param standbyReplicas     warm copies of each partition's stores on other instances, promoted when the
     *                            owner dies
     * @param groupProtocol       the Kafka Streams rebalance protocol: "classic" or "streams" (KIP-1071)
     * @param sessionTimeout      how long the group waits for a silent instance before moving its partitions
     * @param transactionTimeout  after how long the broker aborts a transaction of queueview's left open
     */
    public record View(String applicationId, int partitions, short replicationFactor, String processingGuarantee,
                       Duration removalMarkerTtl, int streamThreads, Duration commitInterval, int standbyReplicas,
                       String groupProtocol, Duration sessionTimeout, Duration transactionTimeout) {
    }

    /**
     * @param host                  the address the server binds
     * @param port                  its port
     * @param advertisedHost        the host the other instances forward calls to (application.server)
     * @param tls                   HTTPS for the API and forwarded calls, or null for plain HTTP
     * @param changeStreamsMax      change streams one instance holds at once (each holds a server thread)
     * @param changeStreamsPerToken change streams one token may hold open on one instance
     * @param standbyMaxLag         how far behind, in records, a standby copy may be to answer a read while the
     *                              queue's owner cannot (a read's max_lag overrides it)
     */
    public record Http(String host, int port, String advertisedHost, HttpTls tls, int changeStreamsMax,
                       int changeStreamsPerToken, int standbyMaxLag) {
    }

    /**
     * @param tokensFile       the tokens file, or null
     * @param demoToken        without a tokens file, the demo token to accept instead of a generated one (several
     *                         instances of one demo must accept the same token: calls are forwarded between them)
     * @param jwks             where the JWT signing keys are: an http(s) URL or a file path of a JWKS; null = no JWTs
     * @param jwtIssuer        the "iss" a JWT must carry, or null to accept any
     * @param jwtAudience      a value a JWT's "aud" must hold, or null to accept any
     * @param jwtProjectsClaim the JWT claim that lists the projects a caller may act on
     * @param jwtActionsClaim  the JWT claim that lists the actions a caller may use
     * @param jwtClockSkew     how far a JWT's "exp" and "nbf" may be off this machine's clock
     */
    public record Auth(Path tokensFile, String demoToken, String jwks, String jwtIssuer, String jwtAudience,
                       String jwtProjectsClaim, String jwtActionsClaim, Duration jwtClockSkew) {
    }

    /** Clock skew beyond this would keep expired tokens alive noticeably long. */
    private static final Duration MOST_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Every variable queueview reads: those {@link #from} asks for (the configuration reference lists each). */
    public static final Set<String> VARIABLES = variablesRead();

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        return read(new Reader(env, new TreeSet<>()));
    }

    private static Set<String> variablesRead() {
        Reader reader = new Reader(Map.of(), new TreeSet<>());
        read(reader);
        return Collections.unmodifiableSet(reader.asked());
    }

    private static Settings read(Reader read) {
        String kafkaBootstrap = read.text("QUEUEVIEW_KAFKA_BOOTSTRAP", null);
        Map<String, String> kafkaClient = read.kafkaClient("QUEUEVIEW_KAFKA_CONFIG");
        if (kafkaBootstrap == null && !kafkaClient.isEmpty()) {
            throw new InvalidSetting("QUEUEVIEW_KAFKA_CONFIG", read.text("QUEUEVIEW_KAFKA_CONFIG", null),
                    "the embedded broker takes no client settings; set QUEUEVIEW_KAFKA_BOOTSTRAP to a cluster's too");
        }
        boolean embedded = kafkaBootstrap == null;
        String httpHost = read.text("QUEUEVIEW_HTTP_HOST", "127.0.0.1");
        Duration commitInterval = read.duration("QUEUEVIEW_COMMIT_INTERVAL", Duration.ofMillis(100));
        String advertisedHost = read.text("QUEUEVIEW_ADVERTISED_HOST",
                "0.0.0.0".equals(httpHost) ? "127.0.0.1" : httpHost);
        return new Settings(
                new Kafka(kafkaBootstrap, read.port("QUEUEVIEW_EMBEDDED_KAFKA_PORT", 9092), kafkaClient),
                new Topics(
                        read.text("QUEUEVIEW_EVENTS_TOPIC", "queue-events"),
                        read.text("QUEUEVIEW_DLQ_TOPIC", "queue-events-dlq"),
                        read.text("QUEUEVIEW_CHANGES_TOPIC", "queue-changes"),
                        read.text("QUEUEVIEW_COMMANDS_TOPIC", "queue-commands"),
                        read.text("QUEUEVIEW_AUDIT_TOPIC", "queue-audit")),
                new View(
                        read.text("QUEUEVIEW_APPLICATION_ID", "queueview"),
                        read.integer("QUEUEVIEW_PARTITIONS", 4, 1, 10_000),
                        read.replicationFactor("QUEUEVIEW_REPLICATION_FACTOR", embedded ? 1 : -1),
                        read.oneOf("QUEUEVIEW_PROCESSING_GUARANTEE", "exactly_once_v2",
                                Set.of("exactly_once_v2", "at_least_once")),
                        read.duration("QUEUEVIEW_REMOVAL_MARKER_TTL", Duration.ofHours(24)),
                        read.integer("QUEUEVIEW_STREAM_THREADS", 2, 1, 64),
                        commitInterval,
                        read.integer("QUEUEVIEW_STANDBY_REPLICAS", 1, 0, 16),
                        read.oneOf("QUEUEVIEW_GROUP_PROTOCOL", "classic", Set.of("classic", "streams")),
                        read.duration("QUEUEVIEW_SESSION_TIMEOUT", Duration.ofSeconds(6)),
                        read.duration("QUEUEVIEW_TRANSACTION_TIMEOUT", max(Duration.ofSeconds(5),
                                commitInterval.multipliedBy(5)))),
                new Http(
                        httpHost,
                        read.port("QUEUEVIEW_HTTP_PORT", 8080),
                        advertisedHost,
                        read.httpTls(),
                        read.integer("QUEUEVIEW_CHANGE_STREAMS_MAX", 100, 0, 10_000),
                        read.integer("QUEUEVIEW_CHANGE_STREAMS_PER_TOKEN", 10, 1, 10_000),
                        read.integer("QUEUEVIEW_STANDBY_MAX_LAG", 1_000, 0, Integer.MAX_VALUE)),
                new Auth(
                        read.path("QUEUEVIEW_TOKENS_FILE"),
                        read.text("QUEUEVIEW_DEMO_TOKEN", null),
                        read.jwks("QUEUEVIEW_JWKS"),
                        read.text("QUEUEVIEW_JWT_ISSUER", null),
                        read.text("QUEUEVIEW_JWT_AUDIENCE", null),
                        read.text("QUEUEVIEW_JWT_PROJECTS_CLAIM", "projects"),
                        read.text("QUEUEVIEW_JWT_ACTIONS_CLAIM", "actions"),
                        read.clockSkew("QUEUEVIEW_JWT_CLOCK_SKEW", Duration.ofSeconds(30))),
                Path.of(read.text("QUEUEVIEW_DATA_DIR", "./data")),
                read.bool("QUEUEVIEW_DEMO", embedded),
                read.duration("QUEUEVIEW_WRITE_TIMEOUT", Duration.ofSeconds(5)),
                read.integer("QUEUEVIEW_METRICS_MAX_QUEUES", 100, 0, 100_000),
                read.bool("QUEUEVIEW_METRICS_TOKEN_REQUIRED", false),
                read.oneOf("QUEUEVIEW_LOG_FORMAT", "text", Set.of("text", "json")),
                read.duration("QUEUEVIEW_START_TIMEOUT", Duration.ofMinutes(5)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Reads one variable at a time and says which one is wrong; notes each name it is asked for. */
    private record Reader(Map<String, String> env, Set<String> asked) {

        String text(String name, String fallback) {
            asked.add(name);
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        /** HTTPS from PEM files or a PKCS12 key store (not both), or null when neither is set. */
        HttpTls httpTls() {
            Path certificate = path("QUEUEVIEW_HTTP_TLS_CERT");
            Path key = path("QUEUEVIEW_HTTP_TLS_KEY");
            Path keystore = path("QUEUEVIEW_HTTP_TLS_KEYSTORE");
            String password = text("QUEUEVIEW_HTTP_TLS_KEYSTORE_PASSWORD", null);
            Path peerCa = path("QUEUEVIEW_PEER_TLS_CA");
            if ((certificate == null) != (key == null)) {
                boolean certificateSet = certificate != null;
                throw new InvalidSetting(certificateSet ? "QUEUEVIEW_HTTP_TLS_CERT" : "QUEUEVIEW_HTTP_TLS_KEY",
                        String.valueOf(certificateSet ? certificate : key), "expected "
                        + (certificateSet ? "QUEUEVIEW_HTTP_TLS_KEY" : "QUEUEVIEW_HTTP_TLS_CERT") + " set too");
            }
            if (password != null && keystore == null) { // the value stays out of the message: it is a secret
                throw new InvalidSetting("QUEUEVIEW_HTTP_TLS_KEYSTORE_PASSWORD", "(hidden)",
                        "expected QUEUEVIEW_HTTP_TLS_KEYSTORE set too");
            }
            if (certificate != null && keystore != null) {
                throw new InvalidSetting("QUEUEVIEW_HTTP_TLS_KEYSTORE", keystore.toString(),
                        "expected PEM files (QUEUEVIEW_HTTP_TLS_CERT and _KEY) or a key store, not both");
            }
            if (certificate == null && keystore == null) {
                if (peerCa != null) {
                    throw new InvalidSetting("QUEUEVIEW_PEER_TLS_CA", peerCa.toString(),
                            "forwarded calls use TLS only when this instance serves HTTPS (QUEUEVIEW_HTTP_TLS_*)");
                }
                return null;
            }
            return new HttpTls(certificate, key, keystore, password, peerCa);
        }

        Map<String, String> kafkaClient(String name) {
            Path file = path(name);
            return file == null ? Map.of() : KafkaClientConfig.load(name, file);
        }

        Path path(String name) {
            String value = text(name, null);
            return value == null ? null : Path.of(value);
        }

        int port(String name, int fallback) {
            return integer(name, fallback, 0, 65_535, "a port number 0..65535 (0 = any free port)");
        }

        int integer(String name, int fallback, int min, int max) {
            return integer(name, fallback, min, max, "an integer " + min + ".." + max);
        }

        int integer(String name, int fallback, int min, int max, String rule) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSetting(name, value, "expected " + rule);
        }

        short replicationFactor(String name, int fallback) {
            String rule = "an integer 1..32767, or -1 for the broker's default";
            int factor = integer(name, fallback, -1, Short.MAX_VALUE, rule);
            if (factor == 0) {
                throw new InvalidSetting(name, "0", "expected " + rule);
            }
            return (short) factor;
        }

        boolean bool(String name, boolean fallback) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new InvalidSetting(name, value, "expected true or false");
            };
        }

        String oneOf(String name, String fallback, Set<String> allowed) {
            String value = text(name, fallback);
            if (!allowed.contains(value)) {
                throw new InvalidSetting(name, value, "expected one of " + allowed);
            }
            return value;
        }

        /** An http(s) URL with a host, or else a file path (its reading is checked when the keys are loaded). */
        String jwks(String name) {
            String value = text(name, null);
            if (value == null || !(value.startsWith("http://") || value.startsWith("https://"))) {
                return value;
            }
            try {
                if (URI.create(value).toURL().getHost().isEmpty()) {
                    throw new InvalidSetting(name, value, "expected an http(s) URL with a host, or a file path");
                }
                return value;
            } catch (IllegalArgumentException | MalformedURLException e) {
                throw new InvalidSetting(name, value, "expected an http(s) URL with a host, or a file path");
            }
        }

        Duration clockSkew(String name, Duration fallback) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                Duration skew = Duration.parse(value);
                if (!skew.isNegative() && skew.compareTo(MOST_CLOCK_SKEW) <= 0) {
                    return skew;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new InvalidSetting(name, value, "expected an ISO-8601 duration from PT0S to PT5M, such as PT30S");
        }

        Duration duration(String name, Duration fallback) {
            String value = text(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                Duration duration = Duration.parse(value);
                if (!duration.isNegative() && !duration.isZero()) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new InvalidSetting(name, value, "expected a positive ISO-8601 duration such as PT24H or PT5S");
        }
    }
}
