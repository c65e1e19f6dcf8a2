package io.queueview.http.peer;

import io.queueview.query.InstanceAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5 set up as the forwarder would use it, kept in the benchmark tree as what
 * {@code bench.PeerClientCost} measures {@link PeerConnections} against (issue 20: the service stayed with ours,
 * which cost the forwarder about two thirds of the CPU per forwarded call).
 * The calls forwarded to the other instances, over Apache HttpClient 5 (classic: on the calling server thread)
 * with a pool of keep-alive connections per owner. A pooled connection idle for a while is checked before it is
 * used again (an owner that restarted or closed it is found before the call is written, not after); idle ones
 * are closed well before the owner's own idle timeout, and those to owners that went away with them. The answer
 * timeout is the socket's read timeout: no watchdog, so nothing but the calling thread ever closes a connection
 * that is in use. HttpClient retries nothing: what may be sent again is {@link Forwarding}'s decision.
 */
final class PooledPeerClient implements PeerClient {

    /** The most an owner's answer may hold, and one line of its head: beyond, it is not an answer of ours. */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;
    private static final int MAX_LINE_CHARS = 16 * 1024;
    /** Well under the owner's idle timeout (Jetty's 30 s): a pooled connection is never closed under a call. */
    static final Duration MOST_IDLE = Duration.ofSeconds(10);
    /**
     * A connection idle this long is checked (a 1 ms read) before reuse. Connections busy under load skip the
     * check; one left idle across an owner's restart or shutdown is found closed, and a new one is made.
     */
    private static final TimeValue CHECK_AFTER_IDLE = TimeValue.ofMilliseconds(200);
    private static final int MOST_PER_OWNER = 64;

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;
    private final String scheme;
    private final ScheduledFuture<?> pruning;

    /**
     * @param answerTimeout how long an owner may take to answer (each read of its answer)
     * @param tls           TLS to the peers (they serve HTTPS too), or null for plain HTTP
     * @param mostIdle      how long a connection may stay unused in the pool
     * @param scheduler     runs the pruning of idle connections
     */
    PooledPeerClient(Duration connectTimeout, Duration answerTimeout, SSLSocketFactory tls, Duration mostIdle,
                     ScheduledExecutorService scheduler) {
        pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom().setMaxLineLength(MAX_LINE_CHARS).setMaxHeaderCount(100)
                                .build())
                        .build())
                .setTlsSocketStrategy(tls == null ? null : new VerifiedTls(tls, connectTimeout))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(answerTimeout))
                        .setValidateAfterInactivity(CHECK_AFTER_IDLE)
                        .setTimeToLive(TimeValue.of(mostIdle.multipliedBy(30))) // TLS sessions renewed now and then
                        .build())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setConnPoolPolicy(PoolReusePolicy.LIFO) // the most recently used first: the fewest stay warm
                .setMaxConnPerRoute(MOST_PER_OWNER)
                .setMaxConnTotal(4 * MOST_PER_OWNER)
                .build();
        http = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableConnectionState()
                .disableDefaultUserAgent()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(answerTimeout))
                        // every owner's connections in use: a call waits this long for one, then is not sent
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build())
                .build();
        scheme = tls == null ? "http" : "https";
        long every = Math.max(50, mostIdle.toMillis() / 4);
        pruning = scheduler.scheduleWithFixedDelay(() -> prune(mostIdle), every, every, TimeUnit.MILLISECONDS);
    }

    /** Closes the connections unused for longer than mostIdle, whoever their owner: those of a gone owner too. */
    private void prune(Duration mostIdle) {
        pool.closeExpired();
        pool.closeIdle(TimeValue.of(mostIdle));
    }

    /** How many connections are pooled, idle, now (for tests). */
    int idleConnections() {
        return pool.getTotalStats().getAvailable();
    }

    @Override
    public Answer send(InstanceAddress owner, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        HttpHost host = new HttpHost(scheme, owner.host(), owner.port());
        // the target as the caller sent it: not parsed into a URI again
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, host, target);
        headers.forEach(request::addHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, null));
        }
        try {
            return http.execute(host, request, null, response -> {
                byte[] read = read(response.getEntity(), owner);
                Header type = response.getFirstHeader("Content-Type");
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new Answer(response.getCode(), type == null ? null : type.getValue(),
                        retryAfter == null ? null : retryAfter.getValue(), read);
            });
        } catch (ConnectException | ConnectTimeoutException | NoRouteToHostException | UnknownHostException e) {
            throw new NotSent("could not connect to " + owner + ": " + e.getMessage(), e);
        } catch (org.apache.hc.core5.http.ConnectionRequestTimeoutException e) {
            throw new NotSent("no connection to " + owner + " free: " + e.getMessage(), e);
        } catch (NotSent e) {
            throw e;
        } catch (SocketTimeoutException e) {
            // its own type: Forwarding sends nothing again after a timeout
            throw (SocketTimeoutException) new SocketTimeoutException("no answer from " + owner + " in time: "
                    + e.getMessage()).initCause(e);
        } catch (IOException e) {
            // a malformed answer arrives here too (HttpClient's ProtocolException, wrapped): the owner's fault, a 502
            throw e.getMessage() != null && e.getMessage().contains(owner.toString()) ? e
                    : new IOException(owner + ": " + e, e);
        }
    }

    /** The body, at most {@link #MAX_ANSWER_BYTES}; none for a HEAD or a 204. */
    private static byte[] read(HttpEntity entity, InstanceAddress owner) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MAX_ANSWER_BYTES) {
            throw new IOException("the answer from " + owner + " is over " + MAX_ANSWER_BYTES + " bytes");
        }
        try (InputStream in = entity.getContent()) {
            byte[] body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (body.length > MAX_ANSWER_BYTES) {
                throw new IOException("the answer from " + owner + " is over " + MAX_ANSWER_BYTES + " bytes");
            }
            return body;
        }
    }

    @Override
    public void close() {
        pruning.cancel(false);
        http.close(CloseMode.GRACEFUL);
    }

    /**
     * TLS over a connected socket with {@link PeerTls}'s sockets and host name check; a failed handshake means
     * the call was never sent.
     */
    private record VerifiedTls(SSLSocketFactory sockets, Duration handshakeTimeout) implements TlsSocketStrategy {

        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            SSLSocket secure = (SSLSocket) sockets.createSocket(socket, target, port, true);
            try {
                secure.setSSLParameters(PeerTls.verifyingHostName(secure.getSSLParameters()));
                int before = secure.getSoTimeout();
                secure.setSoTimeout(Math.toIntExact(handshakeTimeout.toMillis()));
                secure.startHandshake();
                secure.setSoTimeout(before);
                return secure;
            } catch (IOException e) {
                secure.close();
                throw new NotSent("could not connect to " + target + ":" + port + " over TLS: " + e.getMessage(), e);
            }
        }
    }
}
