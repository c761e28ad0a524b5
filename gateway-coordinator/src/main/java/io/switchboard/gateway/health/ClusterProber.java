/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.switchboard.gateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterAddressResolver;
import io.switchboard.gateway.health.ProbeResult.Outcome;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.net.ssl.SSLException;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static java.util.Locale.ROOT;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Probes a cluster the way the gateway talks to it: {@code GET /v1/info} with an
 * {@code X-Forwarded-Proto} header, on a fresh connection, within a deadline.
 */
public final class ClusterProber
        implements AutoCloseable
{
    static final String PROCESS_FORWARDED_FIX = "the cluster rejects the gateway's X-Forwarded-* headers (HTTP 406): " +
            "set http-server.process-forwarded=true in its etc/config.properties and restart it";

    private static final int MAX_INFO_BYTES = 64 * 1024;

    private final HttpClient client;
    private final long timeoutMillis;
    private final ObjectMapper mapper;

    ClusterProber(Duration timeout, boolean allowLinkLocal, ObjectMapper mapper)
    {
        this.timeoutMillis = timeout.toMillis();
        this.mapper = requireNonNull(mapper, "mapper is null");
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("health-probe");
        threads.setDaemon(true);
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(threads);
        connector.setConnectTimeout(timeout);
        client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setIdleTimeout(timeoutMillis);
        ClusterAddressResolver.install(client, threads, "health-probe", allowLinkLocal);
        try {
            client.start();
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot start the health check HTTP client", e);
        }
    }

    CompletableFuture<ProbeResult> probe(Cluster cluster)
    {
        CompletableFuture<ProbeResult> future = new CompletableFuture<>();
        long start = System.nanoTime();
        try {
            client.newRequest(infoUri(cluster.proxyUri()))
                    .method(HttpMethod.GET)
                    .timeout(timeoutMillis, MILLISECONDS)
                    .headers(headers -> headers
                            .put(HttpHeader.X_FORWARDED_PROTO, "http")
                            .put(HttpHeader.ACCEPT, "application/json")
                            .put(HttpHeader.CONNECTION, "close"))
                    .send(new Listener(future::complete, start));
        }
        catch (RuntimeException e) {
            // a URL the HTTP client refuses: this cluster fails its probe, the others are still probed
            future.complete(new ProbeResult(Outcome.FAILED, "cannot send a request to " + cluster.proxyUri() + ": " + describe(e), Duration.ofNanos(System.nanoTime() - start)));
        }
        return future;
    }

    static URI infoUri(URI base)
    {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return base.resolve((path.endsWith("/") ? path : path + "/") + "v1/info");
    }

    /**
     * Whether a failure means the cluster's process is not there (refused, reset, no route):
     * no point waiting for more evidence.
     */
    static boolean isConnectionFailure(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException || cause instanceof ClosedChannelException) {
                return true;
            }
            if (cause instanceof SocketException && cause.getMessage() != null && cause.getMessage().toLowerCase(ROOT).contains("reset")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The innermost cause of a failure, as a short text for an operator or a client: what
     * happened, never the state of a connection object (Jetty puts whole endpoint dumps into
     * its messages).
     */
    public static String describe(Throwable failure)
    {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return switch (cause) {
            case ConnectException _ -> "Connection refused";
            case NoRouteToHostException _ -> "No route to host";
            case UnknownHostException unknown -> "Unknown host " + shortMessage(unknown);
            case TimeoutException _, SocketTimeoutException _ -> "Timed out";
            case EOFException _, ClosedChannelException _ -> "Connection closed";
            case SocketException socket when socket.getMessage() != null && socket.getMessage().toLowerCase(ROOT).contains("reset") -> "Connection reset";
            case SSLException _ -> "TLS failed: " + shortMessage(cause);
            default -> cause.getClass().getSimpleName() + ": " + shortMessage(cause);
        };
    }

    private static String shortMessage(Throwable failure)
    {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return "no details";
        }
        String line = message.lines().findFirst().orElse("");
        // an object's toString (Jetty's endpoints and channels) is state for a debugger, not a reason
        return line.length() > 200 || line.matches(".*\\w+@\\p{XDigit}{4,}.*") ? "see the gateway's log" : line;
    }

    @Override
    public void close()
            throws Exception
    {
        client.stop();
    }

    private class Listener
            extends BufferingResponseListener
    {
        private final Consumer<ProbeResult> done;
        private final long startNanos;

        Listener(Consumer<ProbeResult> done, long startNanos)
        {
            super(MAX_INFO_BYTES);
            this.done = done;
            this.startNanos = startNanos;
        }

        @Override
        public void onComplete(Result result)
        {
            Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
            try {
                done.accept(classify(result, latency));
            }
            catch (RuntimeException e) {
                done.accept(new ProbeResult(Outcome.FAILED, "unexpected answer to /v1/info: " + describe(e), latency));
            }
        }

        private ProbeResult classify(Result result, Duration latency)
        {
            if (result.isFailed()) {
                Throwable failure = result.getFailure();
                if (failure instanceof TimeoutException) {
                    return new ProbeResult(Outcome.FAILED, "no answer to /v1/info within " + timeoutMillis + " ms", latency);
                }
                Outcome outcome = isConnectionFailure(failure) ? Outcome.UNREACHABLE : Outcome.FAILED;
                return new ProbeResult(outcome, "cannot reach the cluster: " + describe(failure), latency);
            }
            int status = result.getResponse().getStatus();
            if (status == 406) {
                return new ProbeResult(Outcome.MISCONFIGURED, PROCESS_FORWARDED_FIX, latency);
            }
            if (status != 200) {
                return new ProbeResult(Outcome.FAILED, "/v1/info answered HTTP " + status, latency);
            }
            return infoResult(getContentAsString(), latency);
        }

        private ProbeResult infoResult(String body, Duration latency)
        {
            JsonNode info;
            try {
                info = mapper.readTree(body);
            }
            catch (IOException e) {
                return new ProbeResult(Outcome.FAILED, "/v1/info did not answer JSON: " + describe(e), latency);
            }
            if (!info.path("starting").isBoolean()) {
                return new ProbeResult(Outcome.FAILED, "/v1/info does not say whether the server is starting: not a Trino coordinator?", latency);
            }
            if (info.path("starting").booleanValue()) {
                return new ProbeResult(Outcome.FAILED, "the server is still starting", latency);
            }
            return new ProbeResult(Outcome.OK, "answered /v1/info in " + latency.toMillis() + " ms", latency);
        }
    }
}
