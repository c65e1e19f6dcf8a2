package io.queueview.bench;

import io.queueview.bench.Freshness.Measurement;
import io.queueview.bench.Freshness.Rate;
import io.queueview.testing.SecuredBroker;
import io.queueview.testing.SecuredBroker.WayIn;
import io.queueview.testing.ServiceInstance;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What TLS and SASL cost the freshness, same broker, same run: on one {@link SecuredBroker}, queueview (its own
 * process) connects over the PLAINTEXT listener, then over the SASL_SSL one (SCRAM-SHA-512, exactly the documented
 * ACLs), then SASL_SSL and PLAINTEXT again — in that order, so that a drift of the machine over the run weighs on both
 * ways alike. Each round has an application id and topics of its own, a warm-up, and then the freshness harness at
 * 1,000 events/s. The load driver's producer goes through the PLAINTEXT listener in every round: only queueview's own
 * clients change. Each way's figures pool the samples of its two rounds.
 */
final class SecuredFreshness {

    static final int EVENTS_PER_SECOND = 1_000;
    private static final int PARTITIONS = 4;
    private static final List<Boolean> ROUNDS_SECURED = List.of(false, true, true, false);

    private SecuredFreshness() {
    }

    /**
     * @param warmup   per round, at the same rate with the client polling, before anything counts
     * @param duration per round: each way is measured twice as long in all
     */
    static Map<String, Object> measure(Path folder, Duration warmup, Duration duration, PrintStream log)
            throws Exception {
        List<Measurement> plaintext = new ArrayList<>();
        List<Measurement> saslSsl = new ArrayList<>();
        List<Map<String, Object>> rounds = new ArrayList<>();
        try (SecuredBroker broker = SecuredBroker.start(folder.resolve("broker"))) {
            for (int round = 0; round < ROUNDS_SECURED.size(); round++) {
                boolean secured = ROUNDS_SECURED.get(round);
                String way = secured ? "SASL_SSL" : "PLAINTEXT";
                Path groupFolder = folder.resolve(way.toLowerCase(Locale.ROOT) + "-" + round);
                ServiceInstance.Group group = secured
                        ? broker.group(groupFolder, PARTITIONS, WayIn.SCRAM)
                        : ServiceInstance.Group.on(broker.adminBootstrap(), groupFolder, PARTITIONS);
                if (secured) {
                    broker.grantDocumentedAcls(WayIn.SCRAM, group);
                }
                long started = System.nanoTime();
                try (Freshness.Run run = Freshness.Run.start(group, broker.adminBootstrap(), warmup)) {
                    Measurement measured = run.at(EVENTS_PER_SECOND, Duration.ZERO, duration);
                    (secured ? saslSsl : plaintext).add(measured);
                    Rate rate = measured.rate();
                    Map<String, Object> figures = new LinkedHashMap<>();
                    figures.put("way", way);
                    figures.putAll(rate.figures());
                    rounds.add(figures);
                    log.printf("secured freshness, round %d, queueview over %s (%.0f s from its start): %s%n", round + 1,
                            way, (System.nanoTime() - started) / 1e9, rate);
                }
            }
        }
        Rate plain = Measurement.pooled(plaintext).rate();
        Rate sasl = Measurement.pooled(saslSsl).rate();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events_per_s", EVENTS_PER_SECOND);
        figures.put("seconds_per_round", duration.toSeconds());
        figures.put("rounds", rounds);
        figures.put("plaintext", plain.figures());
        figures.put("sasl_ssl", sasl.figures());
        return figures;
    }
}
