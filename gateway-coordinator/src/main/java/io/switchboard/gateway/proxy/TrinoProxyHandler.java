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
package io.switchboard.gateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableListMultimap;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.admission.AdmissionController;
import io.switchboard.gateway.admission.AdmissionController.Admission;
import io.switchboard.gateway.admission.AdmissionKey;
import io.switchboard.gateway.admission.AdmissionSlot;
import io.switchboard.gateway.admission.QueuedQuery;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.gateway.health.ClusterProber;
import io.switchboard.gateway.proxy.ProxyMetrics.RequestType;
import io.switchboard.gateway.proxy.TrinoErrors.Kind;
import io.switchboard.gateway.routing.ClusterSelector;
import io.switchboard.gateway.routing.QueryRoutes;
import io.switchboard.gateway.routing.RoutingConfig;
import io.switchboard.gateway.routing.TransactionRoutes;
import io.switchboard.gateway.rules.RoutingDecision;
import io.switchboard.gateway.rules.RoutingRules;
import io.switchboard.gateway.rules.RuleInput;
import io.switchboard.gateway.server.SharedSelectorConnector;
import io.switchboard.store.cluster.ClusterKind;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.store.routing.TransactionRouteDao.TRANSACTION_CREDENTIAL;
import static java.lang.Math.toIntExact;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Forwards the Trino protocol to the member clusters: asynchronous, streaming, byte for byte.
 * Only the response to a new query's POST is looked at, for its query id, and under admission
 * control the first bytes of an admitted query's polls, for its end; a query over an admission
 * limit is answered by the gateway itself until it gets a slot.
 */
public class TrinoProxyHandler
        extends ProxyHandler
{
    private static final Logger log = Logger.get(TrinoProxyHandler.class);
    private static final String TARGET = TrinoProxyHandler.class.getName() + ".target";
    private static final String UNREACHABLE = TrinoProxyHandler.class.getName() + ".unreachable";
    private static final String BODY = TrinoProxyHandler.class.getName() + ".body";
    // the admission slot of a new query, and of a poll of an admitted query whose end is watched for
    private static final String SLOT = TrinoProxyHandler.class.getName() + ".slot";
    // the milliseconds a submitted queued query waited in the gateway's queue (a Long)
    private static final String QUEUED_MILLIS = TrinoProxyHandler.class.getName() + ".queuedMillis";
    private static final String TRACKED = TrinoProxyHandler.class.getName() + ".tracked";
    // a login or web UI request: forwarded without X-Forwarded-Prefix (see TrinoLogins)
    private static final String UNPREFIXED = TrinoProxyHandler.class.getName() + ".unprefixed";
    // the Set-Cookie value that keeps a browser's web UI on its cluster, for a browser that has none yet
    private static final String UI_COOKIE = TrinoProxyHandler.class.getName() + ".uiCookie";
    // how long a poll of a queued query waits for a slot before it answers QUEUED again
    private static final long QUEUED_POLL_WAIT_MILLIS = 1000;

    private static final String X_FORWARDED_PREFIX = "X-Forwarded-Prefix";
    private static final String X_FORWARDED_PORT = "X-Forwarded-Port";
    private static final List<String> UNTRUSTED_FORWARDING_HEADERS = List.of(
            HttpHeader.FORWARDED.asString(),
            "X-Real-IP",
            HttpHeader.X_FORWARDED_SERVER.asString(),
            "X-Proxied-Https",
            "X-Forwarded-Ssl",
            "Proxy-Auth-Cert",
            "Proxy-Ssl-Id");

    private final ClusterRegistry clusters;
    private final ClusterSelector selector;
    private final QueryRoutes routes;
    private final TransactionRoutes transactions;
    private final QueryLocator locator;
    private final ClusterHealthMonitor health;
    private final RoutingRules rules;
    private final AdmissionController admission;
    private final TrinoErrors errors;
    private final TrinoLogins logins;
    private final ProxyMetrics metrics;
    private final String routePrefix;
    private final String defaultGroup;
    private final long idleTimeoutMillis;
    private final int maxStatementBytes;
    private final boolean trustForwardedHeaders;

    @Inject
    public TrinoProxyHandler(
            ProxyConfig config,
            RoutingConfig routingConfig,
            @ForProxy HttpClient httpClient,
            ClusterRegistry clusters,
            ClusterSelector selector,
            QueryRoutes routes,
            TransactionRoutes transactions,
            QueryLocator locator,
            ClusterHealthMonitor health,
            RoutingRules rules,
            AdmissionController admission,
            ProxyMetrics metrics,
            ObjectMapper mapper)
    {
        this.rules = requireNonNull(rules, "rules is null");
        this.admission = requireNonNull(admission, "admission is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.selector = requireNonNull(selector, "selector is null");
        this.routes = requireNonNull(routes, "routes is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
        this.locator = requireNonNull(locator, "locator is null");
        this.health = requireNonNull(health, "health is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.errors = new TrinoErrors(mapper, metrics);
        this.logins = new TrinoLogins(mapper);
        this.routePrefix = config.getRoutePrefix();
        this.defaultGroup = routingConfig.getDefaultGroup();
        this.idleTimeoutMillis = config.getIdleTimeout().toMillis();
        this.maxStatementBytes = toIntExact(config.getMaxStatementSize().toBytes());
        this.trustForwardedHeaders = config.isTrustForwardedHeaders();
        setHttpClient(requireNonNull(httpClient, "httpClient is null"));
    }

    /**
     * Nothing here blocks (routing is in memory, lookups and reads are asynchronous), so Jetty
     * may run it on the thread that read the request.
     */
    @Override
    public InvocationType getInvocationType()
    {
        return InvocationType.NON_BLOCKING;
    }

    /**
     * Where one request goes.
     */
    private record Target(Cluster cluster, String backendPath, Optional<String> routingGroup, Optional<String> transactionId, RoutingDecision decision)
    {
        Target(Cluster cluster, String backendPath, Optional<String> routingGroup)
        {
            this(cluster, backendPath, routingGroup, Optional.empty(), RoutingDecision.NONE);
        }

        Target onCluster(Cluster other)
        {
            return new Target(other, backendPath, routingGroup, transactionId, decision);
        }

        boolean isSubmit()
        {
            return routingGroup.isPresent();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
    {
        HttpURI uri = request.getHttpURI();
        TrinoPath path = TrinoPath.parse(request.getMethod(), uri.getPath(), uri.getQuery(), routePrefix);
        switch (path) {
            case TrinoPath.NotTrino _ -> {
                return false;
            }
            case TrinoPath.Prefixed prefixed -> {
                metrics.request(RequestType.FOLLOW_UP);
                if (!TrinoPath.isClientPath(prefixed.backendPath())) {
                    errors.write(request, response, callback, Kind.NOT_ROUTABLE,
                            "Path " + prefixed.backendPath() + " is not one Trino clients use; the gateway forwards only " + String.join(", ", TrinoPath.CLIENT_PATHS) + " to a cluster");
                    return true;
                }
                Optional<Cluster> cluster = clusters.forwardingTarget(prefixed.clusterName());
                if (cluster.isEmpty()) {
                    errors.write(request, response, callback, Kind.UNKNOWN_CLUSTER,
                            "Cluster '" + prefixed.clusterName() + "' is not configured in the gateway (it may have been removed); the query cannot be reached");
                    return true;
                }
                if (admission.isEnabled()) {
                    watchAdmitted(request, prefixed.backendPath());
                }
                return forward(request, response, callback, new Target(cluster.get(), prefixed.backendPath(), Optional.empty()));
            }
            case TrinoPath.GatewayQueued queued -> {
                metrics.request(RequestType.QUEUED);
                handleQueued(request, response, callback, queued);
                return true;
            }
            case TrinoPath.Submit _ -> {
                metrics.request(RequestType.SUBMIT);
                Optional<String> transactionId = openTransactionId(request);
                if (transactionId.isPresent()) {
                    submitInTransaction(request, response, callback, transactionId.get());
                    return true;
                }
                readStatement(request, response, callback, () -> submitNew(request, response, callback, uri.getPath()));
                return true;
            }
            case TrinoPath.QueryPath queryPath -> {
                metrics.request(RequestType.QUERY_ID);
                if (admission.isEnabled()) {
                    // a PrestoDB query's polls come this way, not prefixed
                    watchAdmitted(request, uri.getPath());
                }
                Optional<Cluster> cached = routes.cachedCluster(queryPath.queryId()).flatMap(clusters::forwardingTarget);
                if (cached.isPresent()) {
                    return forward(request, response, callback, new Target(cached.get(), uri.getPath(), Optional.empty()));
                }
                locate(request, response, callback, queryPath.queryId());
                return true;
            }
            case TrinoPath.AnyCluster _ -> {
                metrics.request(RequestType.OTHER);
                Optional<Cluster> cluster = selector.select(defaultGroup).or(() -> clusters.all().stream().findFirst());
                if (cluster.isEmpty()) {
                    errors.write(request, response, callback, Kind.NO_CLUSTER_AVAILABLE, "No cluster is configured in the gateway");
                    return true;
                }
                return forward(request, response, callback, new Target(cluster.get(), uri.getPath(), Optional.empty()));
            }
            case TrinoPath.AuthFlow flow -> {
                metrics.request(RequestType.OTHER);
                return forwardLogin(request, response, callback, flow.authIdHash());
            }
            case TrinoPath.WebUi _ -> {
                metrics.request(RequestType.OTHER);
                if (uri.getPath().equals(TrinoPath.WebUi.CALLBACK_PATH)) {
                    Optional<String> authIdHash = logins.callbackAuthIdHash(uri.getQuery());
                    if (authIdHash.isPresent()) {
                        return forwardLogin(request, response, callback, authIdHash.get());
                    }
                }
                return forwardWebUi(request, response, callback);
            }
            case TrinoPath.Unroutable _ -> {
                metrics.request(RequestType.OTHER);
                errors.write(request, response, callback, Kind.NOT_ROUTABLE,
                        "Path " + uri.getPath() + " names no cluster: the cluster must build its URIs with the gateway's prefix (set http-server.process-forwarded=true on every member cluster)");
                return true;
            }
        }
    }

    /**
     * A step of an external authentication (CLI, JDBC): to the cluster its key chooses.
     */
    private boolean forwardLogin(Request request, Response response, Callback callback, String authIdHash)
    {
        // OAuth2 external authentication is Trino's (PrestoDB has none)
        List<Cluster> candidates = selector.candidates(defaultGroup).stream().filter(candidate -> candidate.kind() == ClusterKind.TRINO).toList();
        Optional<Cluster> cluster = TrinoLogins.loginCluster(authIdHash, candidates.isEmpty() ? clusters.all() : candidates);
        if (cluster.isEmpty()) {
            errors.write(request, response, callback, Kind.NO_CLUSTER_AVAILABLE, "No cluster is configured in the gateway");
            return true;
        }
        request.setAttribute(UNPREFIXED, Boolean.TRUE);
        return forward(request, response, callback, new Target(cluster.get(), request.getHttpURI().getPath(), Optional.empty()));
    }

    /**
     * A web UI request: to the browser's cluster while it can answer, else to a cluster of the
     * default group, which the browser keeps from then on.
     */
    private boolean forwardWebUi(Request request, Response response, Callback callback)
    {
        Optional<Cluster> kept = TrinoLogins.uiCluster(request)
                .flatMap(clusters::forwardingTarget)
                .filter(cluster -> health.isRoutable(cluster.name()));
        Optional<Cluster> cluster = kept.or(() -> selector.select(defaultGroup)).or(() -> clusters.all().stream().findFirst());
        if (cluster.isEmpty()) {
            errors.write(request, response, callback, Kind.NO_CLUSTER_AVAILABLE, "No cluster is configured in the gateway");
            return true;
        }
        if (kept.isEmpty()) {
            request.setAttribute(UI_COOKIE, TrinoLogins.uiClusterCookie(cluster.get().name(), "https".equals(clientBaseUri(request).getScheme())));
        }
        request.setAttribute(UNPREFIXED, Boolean.TRUE);
        return forward(request, response, callback, new Target(cluster.get(), request.getHttpURI().getPath(), Optional.empty()));
    }

    /**
     * A statement of an open transaction goes to the cluster that started the transaction,
     * whatever its group, load or drain: nowhere else knows the transaction.
     */
    private void submitInTransaction(Request request, Response response, Callback callback, String transactionId)
    {
        Optional<String> cached = transactions.cachedCluster(transactionId);
        if (cached.isPresent()) {
            submitInTransaction(request, response, callback, transactionId, cached.get());
            return;
        }
        locator.locateTransaction(transactionId, user(request)).whenComplete((found, failure) -> {
            if (failure == null && found.isPresent()) {
                transactions.remember(transactionId, found.get());
                submitInTransaction(request, response, callback, transactionId, found.get());
            }
            else {
                errors.write(request, response, callback, Kind.TRANSACTION_UNAVAILABLE,
                        "Transaction " + transactionId + " is not open on any cluster of the gateway (it may have expired after the clusters' transaction.idle-timeout, " +
                                "or its cluster restarted); roll back and start a new transaction");
            }
        });
    }

    private void submitInTransaction(Request request, Response response, Callback callback, String transactionId, String clusterName)
    {
        Optional<Cluster> cluster = clusters.forwardingTarget(clusterName);
        if (cluster.isEmpty()) {
            errors.write(request, response, callback, Kind.TRANSACTION_UNAVAILABLE,
                    "Cluster '" + clusterName + "' of transaction " + transactionId + " is no longer configured in the gateway; the transaction cannot continue: start a new one");
            return;
        }
        transactions.used(transactionId);
        Target target = new Target(cluster.get(), request.getHttpURI().getPath(), Optional.of(cluster.get().routingGroup()), Optional.of(transactionId), RoutingDecision.NONE);
        readStatement(request, response, callback, () -> forward(request, response, callback, target));
    }

    /**
     * Routes a new query by the rules (or the group its client names), to the first group of it
     * and its fallbacks that has a cluster accepting queries.
     */
    private void submitNew(Request request, Response response, Callback callback, String path)
    {
        RoutingRules.Decision decision = rules.decide(ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::routingGroup).orElse(""), () -> ruleInput(request));
        List<String> groups = rules.groupsToTry(decision.group());
        if (admission.isEnabled()) {
            submitAdmitted(request, response, callback, path, decision, groups);
            return;
        }
        ClusterKind protocol = clientProtocol(request.getHeaders());
        for (String group : groups) {
            Optional<Cluster> cluster = selector.select(group, protocol, Set.of());
            if (cluster.isPresent()) {
                forward(request, response, callback, new Target(cluster.get(), path, Optional.of(group), Optional.empty(), decision.rules()));
                return;
            }
        }
        writeNoCluster(request, response, callback, decision, groups);
    }

    private void writeNoCluster(Request request, Response response, Callback callback, RoutingRules.Decision decision, List<String> groups)
    {
        String tried = groups.size() == 1 ? "" : " nor in its fallback groups " + groups.subList(1, groups.size());
        String isolated = rules.isolated(decision.group()) ? " (the group is isolated: its queries never run elsewhere)" : "";
        ClusterKind protocol = clientProtocol(request.getHeaders());
        boolean otherEngineOnly = !selector.candidates(decision.group()).isEmpty();
        String why = otherEngineOnly
                ? ". The client speaks the " + protocolName(protocol) + " protocol, and the group has clusters of the other engine only: route such clients to a group of " + protocol.id() + " clusters"
                : ": every cluster is deactivated, draining or unknown. Retry later or ask the operator to activate one";
        errors.write(request, response, callback, Kind.NO_CLUSTER_AVAILABLE,
                "No active cluster in routing group '" + decision.group() + "'" + isolated + tried + why);
    }

    /**
     * The engine whose protocol the client speaks: PrestoDB's clients send {@code X-Presto-User}
     * and no {@code X-Trino-User}; Trino's send {@code X-Trino-User}. A new query goes only to a
     * cluster that speaks the client's protocol: PrestoDB answers a Trino client "User must be
     * set", and Trino 476 does not read {@code X-Presto-*} headers unless configured to.
     */
    static ClusterKind clientProtocol(HttpFields headers)
    {
        return headers.contains(ProtocolHeaders.PRESTODB.user()) && !headers.contains(ProtocolHeaders.TRINO.user()) ? ClusterKind.PRESTODB : ClusterKind.TRINO;
    }

    private static String protocolName(ClusterKind kind)
    {
        return kind == ClusterKind.PRESTODB ? "PrestoDB (X-Presto-* headers)" : "Trino (X-Trino-* headers)";
    }

    /**
     * A new query under admission control: admitted to a cluster with room, or held in the
     * group's queue and answered QUEUED with a {@code nextUri} at the gateway.
     */
    private void submitAdmitted(Request request, Response response, Callback callback, String path, RoutingRules.Decision decision, List<String> groups)
    {
        String user = ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::user).orElse("");
        String source = ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::source).orElse("");
        int priority = decision.rules().queuePriority().orElse(0);
        for (String group : groups) {
            Admission admitted = admission.submit(new AdmissionKey(user, source, group, priority, decision.rules().admissionClass(), clientProtocol(request.getHeaders())), () -> new HeldStatement(HttpFields.build(request.getHeaders()).asImmutable(), (byte[]) request.getAttribute(BODY), path, decision.rules()));
            switch (admitted) {
                case Admission.Admitted(AdmissionSlot slot) -> {
                    request.setAttribute(SLOT, slot);
                    forward(request, response, callback, new Target(slot.cluster(), path, Optional.of(group), Optional.empty(), decision.rules()));
                    return;
                }
                case Admission.Queued(QueuedQuery query) -> {
                    writeQueued(request, response, callback, query, 1);
                    return;
                }
                case Admission.QueueFull(String message) -> {
                    errors.write(request, response, callback, Kind.QUERY_QUEUE_FULL, message);
                    return;
                }
                case Admission.NoCluster _ -> {}
            }
        }
        writeNoCluster(request, response, callback, decision, groups);
    }

    /**
     * A new query held in the queue: what the proxy needs to submit it later, as its client sent it.
     */
    private record HeldStatement(HttpFields headers, byte[] body, String path, RoutingDecision decision) {}

    /**
     * A poll or a DELETE of a query in the gateway's queue.
     */
    private void handleQueued(Request request, Response response, Callback callback, TrinoPath.GatewayQueued path)
    {
        Optional<QueuedQuery> found = admission.isEnabled() ? admission.queued(path.id()).filter(query -> query.slug().equals(path.slug())) : Optional.empty();
        if ("DELETE".equals(request.getMethod())) {
            found.ifPresent(admission::cancel);
            response.setStatus(204);
            callback.succeeded();
            return;
        }
        if (found.isEmpty()) {
            errors.write(request, response, callback, Kind.UNKNOWN_QUEUED_QUERY,
                    "Query " + path.id() + " is not queued in this gateway: it was queued by another gateway replica, or before this gateway restarted, " +
                            "or its client stopped polling it. Submit the query again");
            return;
        }
        QueuedQuery query = found.get();
        CompletableFuture<Void> change = admission.poll(query);
        change.completeOnTimeout(null, QUEUED_POLL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        int sequence = nextSequence(request.getHttpURI().getPath());
        // answered off the thread that completed the wait: that may be a release inside another query's response
        change.whenCompleteAsync((_, _) -> answerQueued(request, response, callback, query, sequence), getHttpClient().getExecutor());
    }

    private void answerQueued(Request request, Response response, Callback callback, QueuedQuery query, int sequence)
    {
        switch (query.state()) {
            case WAITING -> writeQueued(request, response, callback, query, sequence);
            case ADMITTED -> {
                if (query.claim()) {
                    submitHeld(request, response, callback, query);
                    return;
                }
                errors.write(request, response, callback, Kind.UNKNOWN_QUEUED_QUERY,
                        "Query " + query.id() + " left the gateway's queue for a cluster; the answer to an earlier poll carried its next URI. Submit the query again");
            }
            case CANCELLED -> errors.write(request, response, callback, Kind.QUEUED_QUERY_CANCELLED, "Query " + query.id() + " was cancelled while waiting in the gateway's queue");
            case FAILED -> {
                if (query.failure().orElseThrow() == QueuedQuery.Failure.QUEUE_TIMEOUT) {
                    errors.write(request, response, callback, Kind.EXCEEDED_TIME_LIMIT, query.message());
                    return;
                }
                errors.write(request, response, callback, Kind.UNKNOWN_QUEUED_QUERY, query.message() + ". Submit the query again");
            }
        }
    }

    private void writeQueued(Request request, Response response, Callback callback, QueuedQuery query, int sequence)
    {
        URI nextUri = clientBaseUri(request).resolve(TrinoPath.GatewayQueued.PATH + query.id() + "/" + query.slug() + "/" + sequence);
        int position = admission.position(query);
        long waitedMillis = NANOSECONDS.toMillis(System.nanoTime() - query.enqueuedNanos());
        String status = "Waiting in the gateway's queue of routing group '%s'%s, held by %s".formatted(query.key().group(), position > 0 ? " at position " + position : "", query.blockedBy());
        errors.writeQueued(request, response, callback, query.id(), nextUri, waitedMillis, status);
    }

    /**
     * Submits a queued query that got its slot, as its client sent it, in answer to the client's
     * poll: the client follows the cluster's {@code nextUri} from there.
     */
    private void submitHeld(Request request, Response response, Callback callback, QueuedQuery query)
    {
        HeldStatement held = (HeldStatement) query.takeStatement();
        AdmissionSlot slot = query.slot().orElseThrow();
        Request submit = new HeldRequest(request, held);
        submit.setAttribute(BODY, held.body());
        submit.setAttribute(SLOT, slot);
        submit.setAttribute(QUEUED_MILLIS, NANOSECONDS.toMillis(System.nanoTime() - query.enqueuedNanos()));
        forward(submit, response, callback, new Target(slot.cluster(), held.path(), Optional.of(slot.key().group()), Optional.empty(), held.decision()));
    }

    /**
     * The client's poll, dressed as the POST it sent first: method, headers and body.
     */
    private static final class HeldRequest
            extends Request.Wrapper
    {
        private final HeldStatement held;

        HeldRequest(Request poll, HeldStatement held)
        {
            super(poll);
            this.held = held;
        }

        @Override
        public String getMethod()
        {
            return "POST";
        }

        @Override
        public HttpFields getHeaders()
        {
            return held.headers();
        }

        @Override
        public long getLength()
        {
            return held.body().length;
        }
    }

    /**
     * A request of an admitted query: the client is still there; a DELETE ends the query, and a
     * poll's answer may be its last page.
     */
    private void watchAdmitted(Request request, String backendPath)
    {
        if (!backendPath.startsWith("/v1/statement/")) {
            return;
        }
        Optional<AdmissionSlot> slot = TrinoPath.statementQueryId(backendPath).flatMap(admission::running);
        if (slot.isEmpty()) {
            return;
        }
        slot.get().touch();
        if ("DELETE".equals(request.getMethod())) {
            admission.release(slot.get());
        }
        else if ("GET".equals(request.getMethod())) {
            request.setAttribute(TRACKED, slot.get());
        }
    }

    private static int nextSequence(String path)
    {
        int slash = path.lastIndexOf('/');
        try {
            return Math.max(1, Integer.parseInt(path.substring(slash + 1))) + 1;
        }
        catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * The gateway's address as the client sees it: the trusted load balancer's, if any.
     */
    private URI clientBaseUri(Request request)
    {
        String forwardedHost = trustForwardedHeaders ? request.getHeaders().get(HttpHeader.X_FORWARDED_HOST) : null;
        if (forwardedHost == null) {
            return TrinoErrors.baseUri(request);
        }
        String proto = request.getHeaders().get(HttpHeader.X_FORWARDED_PROTO);
        return URI.create((proto == null ? request.getHttpURI().getScheme() : proto) + "://" + forwardedHost + "/");
    }

    /**
     * The client's user, or null when it named none.
     */
    private static String user(Request request)
    {
        return ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::user).orElse(null);
    }

    private static RuleInput ruleInput(Request request)
    {
        ImmutableListMultimap.Builder<String, String> headers = ImmutableListMultimap.builder();
        for (HttpField field : request.getHeaders()) {
            headers.put(field.getLowerCaseName(), field.getValue());
        }
        byte[] body = (byte[]) request.getAttribute(BODY);
        return new RuleInput(headers.build(), body == null ? "" : new String(body, UTF_8), Request.getRemoteAddr(request), Instant.now());
    }

    private static Optional<String> openTransactionId(Request request)
    {
        return ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::transactionId)
                .map(String::trim)
                .filter(transactionId -> !transactionId.isEmpty() && !transactionId.equalsIgnoreCase("NONE"));
    }

    /**
     * Reads the statement (small, bounded) before routing it: the rules may look at it, and a
     * submission whose cluster refuses the connection can be sent to another cluster with the same body.
     */
    private void readStatement(Request request, Response response, Callback callback, Runnable then)
    {
        StatementReader.read(request, maxStatementBytes).whenComplete((body, failure) -> {
            if (failure != null) {
                log.debug(failure, "Cannot read a statement");
                errors.write(request, response, callback, Kind.STATEMENT_TOO_LARGE, "The statement could not be read: its client stopped sending it");
            }
            else if (body.isEmpty()) {
                errors.write(request, response, callback, Kind.STATEMENT_TOO_LARGE,
                        "The statement is larger than the gateway accepts (" + maxStatementBytes + " bytes, proxy.max-statement-size)");
            }
            else {
                request.setAttribute(BODY, body.get());
                then.run();
            }
        });
    }

    @Override
    protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(Request request, Response response, org.eclipse.jetty.client.Request proxyRequest)
    {
        byte[] body = (byte[]) request.getAttribute(BODY);
        return body == null ? super.newProxyToServerRequestContent(request, response, proxyRequest) : new BytesRequestContent(body);
    }

    private void locate(Request request, Response response, Callback callback, String queryId)
    {
        locator.locate(queryId, user(request), lookupPath(request, queryId)).whenComplete((cluster, failure) -> {
            if (failure == null && cluster.isPresent()) {
                routes.remember(queryId, cluster.get().name());
                forward(request, response, callback, new Target(cluster.get(), request.getHttpURI().getPath(), Optional.empty()));
            }
            else {
                errors.write(request, response, callback, Kind.UNKNOWN_QUERY, "Query " + queryId + " is not known to any cluster of the gateway");
            }
        });
    }

    /**
     * What to ask the clusters to find the query: Trino knows a query submitted to it only once
     * its client polls the first {@code nextUri}, so such a poll is asked as it is (polling a
     * token twice is allowed); any other path by the query's resource.
     */
    private static String lookupPath(Request request, String queryId)
    {
        HttpURI uri = request.getHttpURI();
        if ("GET".equals(request.getMethod()) && uri.getPath().startsWith("/v1/statement/queued/")) {
            return uri.getQuery() == null ? uri.getPath() : uri.getPath() + "?" + uri.getQuery();
        }
        return "/v1/query/" + queryId;
    }

    private boolean forward(Request request, Response response, Callback callback, Target target)
    {
        request.setAttribute(TARGET, target);
        try {
            return super.handle(request, response, callback);
        }
        catch (RuntimeException e) {
            // a request the HTTP client refuses to build for this cluster: an answer, not a hung client
            log.warn(e, "Cannot send %s %s to cluster %s", request.getMethod(), request.getHttpURI().getPath(), target.cluster().name());
            releaseSlot(request);
            errors.write(request, response, callback, Kind.CLUSTER_UNREACHABLE,
                    "The gateway cannot send this request to cluster '" + target.cluster().name() + "' (" + ClusterProber.describe(e) + "); the operator should check its proxyUrl");
            return true;
        }
    }

    private void releaseSlot(Request request)
    {
        AdmissionSlot slot = (AdmissionSlot) request.getAttribute(SLOT);
        if (slot != null) {
            admission.release(slot);
        }
    }

    /**
     * Unused: {@link #newProxyToServerRequest} builds the cluster's URI from its already parsed
     * base URI, which spares the parsing of a new {@link URI} for every request.
     */
    @Override
    protected HttpURI rewriteHttpURI(Request request)
    {
        return request.getHttpURI();
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request request, HttpURI unused)
    {
        Target target = (Target) request.getAttribute(TARGET);
        URI base = target.cluster().proxyUri();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String path = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) + target.backendPath() : basePath + target.backendPath();
        String query = request.getHttpURI().getQuery();
        return getHttpClient().newRequest(base)
                .path(query == null ? path : path + "?" + query)
                .method(request.getMethod())
                // each attempt remembers its own target: a retried submission changes the request's
                .attribute(TARGET, target)
                // on the lean I/O path, a cluster connection on the selector of the client's: the exchange stays on one thread
                .tag(SharedSelectorConnector.selectorOf(request).orElse(null))
                .idleTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void copyRequestHeaders(Request request, org.eclipse.jetty.client.Request proxyRequest)
    {
        super.copyRequestHeaders(request, proxyRequest);
        Target target = (Target) request.getAttribute(TARGET);
        proxyRequest.headers(headers -> {
            if (target.cluster().kind() == ClusterKind.PRESTODB) {
                // PrestoDB ignores X-Forwarded-Host and -Prefix but builds nextUri and infoUri on
                // the Host it was asked for: the gateway's, so that the client comes back here,
                // where the query id in those URIs finds the cluster (recorded at submit)
                String forwardedHost = trustForwardedHeaders ? request.getHeaders().get(HttpHeader.X_FORWARDED_HOST) : null;
                headers.put(HttpHeader.HOST, forwardedHost != null ? forwardedHost : request.getHttpURI().getAuthority());
            }
            else {
                // the cluster's own address, not the gateway's; set here, the client would build a URI for it
                headers.put(HttpHeader.HOST, target.cluster().proxyUri().getRawAuthority());
            }
            if (target.isSubmit() || request.getAttribute(TRACKED) != null) {
                // the submit response is scanned for the query id, an admitted query's for its end: ask for it uncompressed
                headers.remove(HttpHeader.ACCEPT_ENCODING);
            }
        });
    }

    @Override
    protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request proxyRequest)
    {
        Target target = (Target) request.getAttribute(TARGET);
        HttpURI uri = request.getHttpURI();
        String clientAddress = Request.getRemoteAddr(request);
        proxyRequest.headers(headers -> {
            // headers that Trino would read as the client's address, host or scheme: only the gateway's X-Forwarded-* say that
            UNTRUSTED_FORWARDING_HEADERS.forEach(headers::remove);
            String forwardedFor = headers.get(HttpHeader.X_FORWARDED_FOR);
            if (!trustForwardedHeaders || !headers.contains(HttpHeader.X_FORWARDED_HOST)) {
                headers.put(HttpHeader.X_FORWARDED_PROTO, uri.getScheme());
                headers.put(HttpHeader.X_FORWARDED_HOST, uri.getAuthority());
                headers.put(X_FORWARDED_PORT, String.valueOf(uri.getPort() > 0 ? uri.getPort() : Request.getLocalPort(request)));
                forwardedFor = null;
            }
            headers.put(HttpHeader.X_FORWARDED_FOR, forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
            if (target.cluster().kind() == ClusterKind.TRINO && request.getAttribute(UNPREFIXED) == null) {
                headers.put(X_FORWARDED_PREFIX, routePrefix + "/" + target.cluster().name());
            }
            else {
                headers.remove(X_FORWARDED_PREFIX);
            }
            // in either spelling: a Trino cluster may be configured to read X-Presto-* headers too
            for (ProtocolHeaders protocol : ProtocolHeaders.values()) {
                if (headers.contains(protocol.extraCredential())) {
                    removeTransactionCredential(headers, protocol.extraCredential());
                }
            }
            ProtocolHeaders protocol = ProtocolHeaders.of(target.cluster().kind());
            addRuleHeaders(headers, protocol, target.decision());
            // a draining coordinator admits the statements of its open transactions, and only those
            target.transactionId().ifPresent(transactionId -> headers.add(protocol.extraCredential(), TRANSACTION_CREDENTIAL + "=" + URLEncoder.encode(transactionId, UTF_8)));
        });
    }

    /**
     * The client tags and session properties the matched rules add: the cluster sees them as if
     * the client had sent them (the rule's value replaces a client's own property of the same name).
     */
    private static void addRuleHeaders(HttpFields.Mutable headers, ProtocolHeaders protocol, RoutingDecision decision)
    {
        if (!decision.changesRequest()) {
            return;
        }
        if (!decision.addClientTags().isEmpty()) {
            String tags = String.join(",", decision.addClientTags());
            String existing = headers.get(protocol.clientTags());
            headers.put(protocol.clientTags(), existing == null || existing.isBlank() ? tags : existing + "," + tags);
        }
        if (!decision.setSessionProperties().isEmpty()) {
            List<String> kept = headers.getValuesList(protocol.session()).stream()
                    .flatMap(value -> Arrays.stream(value.split(",")))
                    .filter(property -> !decision.setSessionProperties().containsKey(property.split("=", 2)[0].trim()))
                    .toList();
            headers.remove(protocol.session());
            kept.forEach(property -> headers.add(protocol.session(), property.trim()));
            decision.setSessionProperties().forEach((name, value) -> headers.add(protocol.session(), name + "=" + URLEncoder.encode(value, UTF_8)));
        }
    }

    /**
     * Only the gateway marks a statement as part of a transaction.
     */
    private static void removeTransactionCredential(HttpFields.Mutable headers, String header)
    {
        List<String> kept = headers.getValuesList(header).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .filter(credential -> !credential.split("=", 2)[0].trim().equals(TRANSACTION_CREDENTIAL))
                .toList();
        headers.remove(header);
        kept.forEach(credential -> headers.add(header, credential.trim()));
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request request,
            org.eclipse.jetty.client.Request proxyRequest,
            Response response,
            Callback callback)
    {
        Target target = (Target) request.getAttribute(TARGET);
        if (target.isSubmit()) {
            return new SubmitResponseListener(request, proxyRequest, response, callback, target);
        }
        AdmissionSlot tracked = (AdmissionSlot) request.getAttribute(TRACKED);
        if (tracked != null) {
            return new AdmittedResponseListener(request, proxyRequest, response, callback, target, tracked);
        }
        return new TrinoResponseListener(request, proxyRequest, response, callback, target);
    }

    @Override
    protected void onServerToProxyResponseFailure(
            Request request,
            org.eclipse.jetty.client.Request proxyRequest,
            org.eclipse.jetty.client.Response serverResponse,
            Response response,
            Callback callback,
            Throwable failure)
    {
        Target target = (Target) proxyRequest.getAttributes().get(TARGET);
        // passive detection: a refused or reset connection marks the cluster unhealthy at once
        health.reportConnectionFailure(target.cluster().name(), failure);
        if (response.isCommitted()) {
            log.debug(failure, "Cluster %s failed mid-response", target.cluster().name());
            if (target.isSubmit()) {
                releaseSlot(request);
            }
            callback.failed(failure);
            return;
        }
        log.debug(failure, "Cluster %s is unreachable", target.cluster().name());
        if (target.isSubmit() && target.transactionId().isEmpty() && neverReachedCluster(failure) && retryElsewhere(request, response, callback, target)) {
            return;
        }
        log.warn("%s %s to cluster %s failed: %s", request.getMethod(), request.getHttpURI().getPath(), target.cluster().name(), failure);
        if (target.isSubmit()) {
            releaseSlot(request);
        }
        response.reset();
        errors.write(request, response, callback, Kind.CLUSTER_UNREACHABLE, unreachableMessage(target, failure));
    }

    private static String unreachableMessage(Target target, Throwable failure)
    {
        String cluster = "Cluster '" + target.cluster().name() + "'";
        if (neverReachedCluster(failure)) {
            return cluster + " cannot be reached (" + ClusterProber.describe(failure) + ")" +
                    (target.isSubmit() ? " and no other cluster of routing group '" + target.routingGroup().orElseThrow() + "' is available; retry later" : "; its queries cannot be followed until it is back");
        }
        if (target.isSubmit()) {
            return cluster + " did not answer the new query (" + ClusterProber.describe(failure) + "); it may be overloaded or restarting. Check whether the query started before resubmitting it";
        }
        return cluster + " closed the connection or stopped answering while the query was running (" + ClusterProber.describe(failure) +
                "); it may have crashed or restarted. Resubmit the query";
    }

    /**
     * A new query whose connection was refused never reached its cluster: place it on another
     * cluster of the group, invisibly to the client. Nothing is retried once a cluster may have
     * received it.
     */
    private boolean retryElsewhere(Request request, Response response, Callback callback, Target failed)
    {
        @SuppressWarnings("unchecked")
        Set<String> unreachable = (Set<String>) request.getAttribute(UNREACHABLE);
        if (unreachable == null) {
            unreachable = new HashSet<>();
            request.setAttribute(UNREACHABLE, unreachable);
        }
        unreachable.add(failed.cluster().name());
        String group = failed.routingGroup().orElseThrow();
        Optional<Cluster> next = selector.select(group, failed.cluster().kind(), unreachable);
        if (next.isEmpty()) {
            return false;
        }
        log.warn("Cluster %s refused the connection; placing the new query on %s instead", failed.cluster().name(), next.get().name());
        AdmissionSlot slot = (AdmissionSlot) request.getAttribute(SLOT);
        if (slot != null) {
            admission.move(slot, next.get());
        }
        forward(request, response, callback, failed.onCluster(next.get()));
        return true;
    }

    private static boolean neverReachedCluster(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Streams the response to a new query's POST like any other, reading its first bytes for the
     * query id, and turns a 406 (forwarded headers rejected) into a message for the operator.
     */
    /**
     * Streams a cluster's response, watching its headers for a transaction that starts or ends.
     */
    private class TrinoResponseListener
            extends ProxyResponseListener
    {
        protected final Request request;
        protected final Target target;
        protected final ProxyMetrics.ClusterStats stats;
        private final Response clientResponse;

        TrinoResponseListener(Request request, org.eclipse.jetty.client.Request proxyRequest, Response response, Callback callback, Target target)
        {
            super(request, proxyRequest, response, callback);
            this.request = request;
            this.clientResponse = response;
            this.target = target;
            this.stats = metrics.cluster(target.cluster());
            // a statement was read before it was forwarded; other requests rarely have a body
            byte[] body = target.isSubmit() ? (byte[]) request.getAttribute(BODY) : null;
            long length = body == null ? request.getLength() : body.length;
            if (length > 0) {
                stats.sentToCluster(length);
            }
        }

        /**
         * The cluster's answer begins: how long after the gateway began to read the request.
         */
        @Override
        public void onBegin(org.eclipse.jetty.client.Response serverResponse)
        {
            long nanos = System.nanoTime() - request.getBeginNanoTime();
            if (target.isSubmit()) {
                stats.submitted(nanos);
            }
            else {
                stats.answered(nanos);
            }
            super.onBegin(serverResponse);
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverResponse, Content.Chunk chunk, Runnable demander)
        {
            stats.sentToClient(chunk.remaining());
            super.onContent(serverResponse, chunk, demander);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverResponse)
        {
            HttpFields headers = serverResponse.getHeaders();
            ProtocolHeaders protocol = ProtocolHeaders.of(target.cluster().kind());
            String started = headers.get(protocol.startedTransactionId());
            if (started != null) {
                transactions.started(started, target.cluster().name());
            }
            if (headers.contains(protocol.clearTransactionId())) {
                // clients poll without the transaction header: the statement's query names it
                openTransactionId(request)
                        .or(() -> TrinoPath.statementQueryId(request.getHttpURI().getPath()).flatMap(transactions::transactionOfStatement))
                        .ifPresent(transactions::ended);
            }
            super.onHeaders(serverResponse);
            if (request.getAttribute(UI_COOKIE) instanceof String cookie) {
                clientResponse.getHeaders().add(HttpHeader.SET_COOKIE, cookie);
            }
        }
    }

    private class SubmitResponseListener
            extends TrinoResponseListener
    {
        private final Response response;
        private final QueryIdScanner scanner = new QueryIdScanner();
        private boolean rejectsForwardedHeaders;
        private boolean remembered;

        SubmitResponseListener(Request request, org.eclipse.jetty.client.Request proxyRequest, Response response, Callback callback, Target target)
        {
            super(request, proxyRequest, response, callback, target);
            this.response = response;
        }

        @Override
        public void onBegin(org.eclipse.jetty.client.Response serverResponse)
        {
            rejectsForwardedHeaders = serverResponse.getStatus() == 406;
            if (!rejectsForwardedHeaders) {
                super.onBegin(serverResponse);
            }
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverResponse)
        {
            if (!rejectsForwardedHeaders) {
                super.onHeaders(serverResponse);
            }
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverResponse, Content.Chunk chunk, Runnable demander)
        {
            if (rejectsForwardedHeaders) {
                demander.run();
                return;
            }
            if (serverResponse.getStatus() == 200 && !isCompressed(serverResponse)) {
                scanner.scan(chunk.getByteBuffer());
                // before the client has the response, and so before its first poll
                bindSlot();
                rememberPrestoQuery();
            }
            super.onContent(serverResponse, chunk, demander);
        }

        /**
         * A PrestoDB cluster's URIs name no cluster: its query's next request finds the cluster
         * by the query id, which must be known before the client can send that request.
         */
        private void rememberPrestoQuery()
        {
            if (target.cluster().kind() == ClusterKind.PRESTODB && !remembered) {
                scanner.queryId().ifPresent(queryId -> {
                    routes.remember(queryId, target.cluster().name());
                    remembered = true;
                });
            }
        }

        private void bindSlot()
        {
            AdmissionSlot slot = (AdmissionSlot) request.getAttribute(SLOT);
            if (slot != null && slot.queryId().isEmpty()) {
                scanner.queryId().ifPresent(queryId -> admission.bind(slot, queryId));
            }
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverResponse)
        {
            AdmissionSlot slot = (AdmissionSlot) request.getAttribute(SLOT);
            if (slot != null && (rejectsForwardedHeaders || slot.queryId().isEmpty())) {
                // no query started
                admission.release(slot);
            }
            if (rejectsForwardedHeaders) {
                log.warn("Cluster %s rejects forwarded headers (HTTP 406): set http-server.process-forwarded=true in its config.properties", target.cluster().name());
                errors.write(request, response, this, Kind.CLUSTER_MISCONFIGURED,
                        "Cluster '" + target.cluster().name() + "' rejected the gateway's X-Forwarded headers (HTTP 406). " +
                                "The operator must set http-server.process-forwarded=true in that cluster's etc/config.properties");
                return;
            }
            target.transactionId().ifPresent(transactionId -> scanner.queryId().ifPresent(queryId -> transactions.statementSubmitted(queryId, transactionId)));
            scanner.queryId().ifPresent(queryId -> routes.record(
                    queryId,
                    target.cluster().name(),
                    target.routingGroup().orElseThrow(),
                    ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::user),
                    ProtocolHeaders.either(request.getHeaders(), ProtocolHeaders::source),
                    target.decision().rule(),
                    request.getAttribute(QUEUED_MILLIS) instanceof Long queuedMillis ? OptionalLong.of(queuedMillis) : OptionalLong.empty()));
            super.onSuccess(serverResponse);
        }
    }

    /**
     * Streams the answer to a poll of an admitted query, watching its first bytes for the last
     * page: the query's slot is then free for the next one.
     */
    private class AdmittedResponseListener
            extends TrinoResponseListener
    {
        private final AdmissionSlot slot;
        private final QueryEndScanner scanner = new QueryEndScanner();

        AdmittedResponseListener(Request request, org.eclipse.jetty.client.Request proxyRequest, Response response, Callback callback, Target target, AdmissionSlot slot)
        {
            super(request, proxyRequest, response, callback, target);
            this.slot = slot;
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverResponse, Content.Chunk chunk, Runnable demander)
        {
            if (serverResponse.getStatus() == 200 && !isCompressed(serverResponse)) {
                scanner.scan(chunk.getByteBuffer());
            }
            super.onContent(serverResponse, chunk, demander);
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverResponse)
        {
            // 404 or 410: the cluster no longer knows the query
            if (scanner.isLastPage().orElse(false) || serverResponse.getStatus() == 404 || serverResponse.getStatus() == 410) {
                admission.release(slot);
            }
            super.onSuccess(serverResponse);
        }
    }

    private static boolean isCompressed(org.eclipse.jetty.client.Response serverResponse)
    {
        HttpField encoding = serverResponse.getHeaders().getField(HttpHeader.CONTENT_ENCODING);
        return encoding != null && !"identity".equalsIgnoreCase(encoding.getValue());
    }
}
