package io.queueview.http.peer;

import io.queueview.query.InstanceAddress;
import io.queueview.time.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The benchmark's way to the package's peer clients (package-private in the service): each as a function that
 * sends one GET to an owner and returns the answer's status.
 */
public final class BenchPeerClients {

    /** One client, as the forwarder uses it. */
    public interface Client extends AutoCloseable {
        int get(String host, int port, String target, String token) throws IOException;

        @Override
        void close();
    }

    private BenchPeerClients() {
    }

    /** The hand-written HTTP/1.1 client, with its watchdog on the scheduler. */
    public static Client handWritten(Duration answerTimeout, ScheduledExecutorService scheduler) {
        return of(new PeerConnections(Duration.ofSeconds(1), answerTimeout, null, Ticker.SYSTEM, scheduler));
    }

    /** Apache HttpClient 5, set up as the forwarder would use it (the service keeps {@link PeerConnections}). */
    public static Client httpClient5(Duration answerTimeout, ScheduledExecutorService scheduler) {
        return of(new PooledPeerClient(Duration.ofSeconds(1), answerTimeout, null, PooledPeerClient.MOST_IDLE,
                scheduler));
    }

    private static Client of(PeerClient peers) {
        return new Client() {
            @Override
            public int get(String host, int port, String target, String token) throws IOException {
                return peers.send(new InstanceAddress(host, port), "GET", target, Map.of("X-Auth-Token", token),
                        null).status();
            }

            @Override
            public void close() {
                peers.close();
            }
        };
    }
}
