package io.queueview.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client settings of QUEUEVIEW_KAFKA_CONFIG: a properties file in the format of the Kafka tools'
 * {@code --command-config} (security.protocol, sasl.*, ssl.*, config.providers ...), applied to every client
 * queueview makes. Values may name Kafka's config providers ({@code ${env:NAME}}, {@code ${file:path:key}}): the
 * clients resolve them, so secrets need not sit in the file. A key queueview sets itself — what exactly-once,
 * read-your-writes and the group depend on — is refused, naming the key, never silently overridden.
 */
public final class KafkaClientConfig {

    /** Keys queueview owns, with the variable that sets them where there is one. */
    private static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry("bootstrap.servers", "QUEUEVIEW_KAFKA_BOOTSTRAP"),
            Map.entry("application.id", "QUEUEVIEW_APPLICATION_ID"),
            Map.entry("application.server", "QUEUEVIEW_ADVERTISED_HOST and QUEUEVIEW_HTTP_PORT"),
            Map.entry("state.dir", "QUEUEVIEW_DATA_DIR"),
            Map.entry("processing.guarantee", "QUEUEVIEW_PROCESSING_GUARANTEE"),
            Map.entry("num.stream.threads", "QUEUEVIEW_STREAM_THREADS"),
            Map.entry("replication.factor", "QUEUEVIEW_REPLICATION_FACTOR"),
            Map.entry("commit.interval.ms", "QUEUEVIEW_COMMIT_INTERVAL"),
            Map.entry("num.standby.replicas", "QUEUEVIEW_STANDBY_REPLICAS"),
            Map.entry("group.protocol", "QUEUEVIEW_GROUP_PROTOCOL"),
            Map.entry("session.timeout.ms", "QUEUEVIEW_SESSION_TIMEOUT"),
            Map.entry("heartbeat.interval.ms", "QUEUEVIEW_SESSION_TIMEOUT"),
            Map.entry("group.instance.id", "the data folder's instance-id"),
            Map.entry("group.id", "QUEUEVIEW_APPLICATION_ID"),
            Map.entry("transactional.id", "QUEUEVIEW_APPLICATION_ID"),
            Map.entry("transaction.timeout.ms", "QUEUEVIEW_TRANSACTION_TIMEOUT"),
            Map.entry("isolation.level", ""),
            Map.entry("enable.idempotence", ""),
            Map.entry("acks", ""),
            Map.entry("enable.auto.commit", ""),
            Map.entry("auto.offset.reset", ""),
            Map.entry("default.key.serde", ""),
            Map.entry("default.value.serde", ""),
            Map.entry("key.serializer", ""),
            Map.entry("value.serializer", ""),
            Map.entry("key.deserializer", ""),
            Map.entry("value.deserializer", ""),
            Map.entry("max.task.idle.ms", ""),
            Map.entry("ensure.explicit.internal.resource.naming", ""));
    /** Kafka Streams passes a key with one of these prefixes to one kind of its clients. */
    private static final List<String> CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.");

    private KafkaClientConfig() {
    }

    /** The file's settings, or an {@link InvalidSetting} naming the variable: unreadable, or a key queueview owns. */
    static Map<String, String> load(String variable, Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidSetting(variable, file.toString(), "expected a readable Kafka client properties file ("
                    + e.getMessage() + ")");
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String bare = withoutClientPrefix(key.trim());
            if (OWNED.containsKey(bare)) {
                String by = OWNED.get(bare);
                throw new InvalidSetting(variable, file.toString(), "it sets " + key + ", which queueview sets itself"
                        + (by.isEmpty() ? "" : " (from " + by + ")") + "; remove it from the file");
            }
            settings.put(key.trim(), properties.getProperty(key).trim());
        }
        return Map.copyOf(settings);
    }

    private static String withoutClientPrefix(String key) {
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return key;
    }
}
