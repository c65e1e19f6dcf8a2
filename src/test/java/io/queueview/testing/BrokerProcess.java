package io.queueview.testing;

import io.queueview.app.EmbeddedKafka;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a {@link BrokerCluster} as a process of its own: the embedded broker as a member of the cluster's
 * quorum, running until the process is killed (SIGTERM shuts it down cleanly, as an operator's stop does).
 * Arguments: node id, cluster id, log dir, broker port, controller port, voters, then broker settings as key=value.
 */
public final class BrokerProcess {

    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka.Member member = new EmbeddedKafka.Member(Integer.parseInt(args[0]), args[1],
                Integer.parseInt(args[4]), args[5]);
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            settings.put(setting[0], setting[1]);
        }
        EmbeddedKafka broker = EmbeddedKafka.start(Path.of(args[2]), Integer.parseInt(args[3]), member, List.of(),
                settings);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-stop"));
        System.out.println(ready(member.nodeId()) + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join(); // the broker's own threads serve; this one only keeps main from returning
    }

    /** The start of the line a node prints once its broker is unfenced and accepts clients. */
    static String ready(int nodeId) {
        return "node " + nodeId + " accepts clients on ";
    }

    /** The command line of a node: the arguments {@link #main} reads. */
    static List<String> arguments(EmbeddedKafka.Member member, Path logDir, int brokerPort,
                                  Map<String, String> settings) {
        List<String> arguments = new java.util.ArrayList<>(List.of(Integer.toString(member.nodeId()),
                member.clusterId(), logDir.toString(), Integer.toString(brokerPort),
                Integer.toString(member.controllerPort()), member.voters()));
        settings.forEach((key, value) -> arguments.add(key + "=" + value));
        return arguments;
    }
}
