package io.queueview.app;

import io.queueview.config.Settings;
import io.queueview.topology.QueueTopology;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;

/**
 * With the streams rebalance protocol (KIP-1071) the broker, not the client, decides the session timeout, the
 * heartbeat and the standbys: they are configs of the group (named by the application id), set here at start-up.
 * The broker bounds them (group.streams.min.session.timeout.ms, group.streams.min.heartbeat.interval.ms,
 * group.streams.max.standby.replicas); out of bounds, start-up stops with the broker's reason.
 */
final class StreamsGroupConfig {

    private StreamsGroupConfig() {
    }

    static void apply(Admin admin, Settings settings) throws InterruptedException, ExecutionException {
        if (!"streams".equals(settings.view().groupProtocol())) {
            return;
        }
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, settings.view().applicationId());
        List<AlterConfigOp> configs = Map.of(
                        "streams.session.timeout.ms", settings.view().sessionTimeout().toMillis(),
                        "streams.heartbeat.interval.ms", QueueTopology.heartbeatInterval(settings).toMillis(),
                        "streams.num.standby.replicas", (long) settings.view().standbyReplicas())
                .entrySet().stream()
                .map(config -> new AlterConfigOp(new ConfigEntry(config.getKey(), config.getValue().toString()),
                        AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(group, configs)).all().get();
        } catch (ExecutionException e) {
            String set = configs.stream().map(op -> op.configEntry().name() + "=" + op.configEntry().value())
                    .sorted().collect(Collectors.joining(", "));
            String remedy = e.getCause() instanceof GroupAuthorizationException
                    ? "; queueview needs ALTER_CONFIGS on GROUP '" + settings.view().applicationId() + "' (docs/kafka-security.md)"
                    : " (see docs/operations.md, Scaling out)";
            throw new IllegalStateException("the broker refused the streams group's configs (" + set + "): "
                    + e.getCause().getMessage() + remedy, e);
        }
    }
}
