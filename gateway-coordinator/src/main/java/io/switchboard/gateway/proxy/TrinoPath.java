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

import com.google.common.hash.Hashing;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * What a request path means to the gateway. Parsing is plain string work: it runs for every
 * proxied request.
 */
public sealed interface TrinoPath
{
    List<String> CLIENT_PATHS = List.of("/v1/statement", "/v1/query", "/v1/spooled", "/v1/info", "/ui", "/oauth2");

    /**
     * {@code <prefix>/<cluster>/<rest>}: a URI the cluster built; forward as is.
     */
    record Prefixed(String clusterName, String backendPath)
            implements TrinoPath
    {
        public Prefixed
        {
            requireNonNull(clusterName, "clusterName is null");
            requireNonNull(backendPath, "backendPath is null");
        }
    }

    /**
     * {@code POST /v1/statement}: a new query to place.
     */
    record Submit()
            implements TrinoPath {}

    /**
     * {@code /v1/statement/queued/gateway/<id>/<slug>/<n>}: a query held in the gateway's own
     * admission queue (Trino's ids never start with {@code gateway}).
     */
    record GatewayQueued(String id, String slug)
            implements TrinoPath
    {
        public static final String PATH = "/v1/statement/queued/gateway/";

        public GatewayQueued
        {
            requireNonNull(id, "id is null");
            requireNonNull(slug, "slug is null");
        }
    }

    /**
     * A path that names a query but no cluster.
     */
    record QueryPath(String queryId)
            implements TrinoPath
    {
        public QueryPath
        {
            requireNonNull(queryId, "queryId is null");
        }
    }

    /**
     * A Trino path any cluster of the default group can answer ({@code /v1/info}, the web UI).
     */
    record AnyCluster()
            implements TrinoPath {}

    /**
     * A step of Trino's external authentication (the OAuth2 login of the CLI and JDBC):
     * {@code /oauth2/token/initiate/<hash>}, which the browser opens, and {@code /oauth2/token/<id>},
     * which the client polls. Trino builds both URIs without the forwarded prefix, and keeps the
     * token of a login in the memory of the cluster whose callback received it, so every step of
     * one login must reach one cluster: the one its key chooses. The key is Trino's own hash of
     * the authentication id (SHA-256 of the id, in hex), which the initiate URI carries and the
     * token URI's id gives.
     */
    record AuthFlow(String authIdHash)
            implements TrinoPath
    {
        public static final String TOKEN_PATH = "/oauth2/token/";
        public static final String INITIATE_PATH = TOKEN_PATH + "initiate/";

        public AuthFlow
        {
            requireNonNull(authIdHash, "authIdHash is null");
        }
    }

    /**
     * Trino's web UI and its OAuth2 callback, when they name no query: they stay on the cluster
     * where the browser's login began.
     */
    record WebUi()
            implements TrinoPath
    {
        public static final String CALLBACK_PATH = "/oauth2/callback";
    }

    /**
     * A cluster-relative path without cluster or query id (spooled segments): cannot be routed.
     */
    record Unroutable()
            implements TrinoPath {}

    /**
     * Not Trino's: the gateway's own API or console.
     */
    record NotTrino()
            implements TrinoPath {}

    static TrinoPath parse(String method, String path, String query, String routePrefix)
    {
        if (path.startsWith(routePrefix) && path.length() > routePrefix.length() + 1 && path.charAt(routePrefix.length()) == '/') {
            int slash = path.indexOf('/', routePrefix.length() + 1);
            if (slash < 0) {
                return new Prefixed(path.substring(routePrefix.length() + 1), "/");
            }
            return new Prefixed(path.substring(routePrefix.length() + 1, slash), path.substring(slash));
        }
        if (path.startsWith("/v1/statement")) {
            if (path.length() == "/v1/statement".length() || path.equals("/v1/statement/")) {
                return "POST".equals(method) ? new Submit() : new AnyCluster();
            }
            if (path.startsWith(GatewayQueued.PATH)) {
                return gatewayQueued(path);
            }
            return segmentAfter(path, "/v1/statement/queued/")
                    .or(() -> segmentAfter(path, "/v1/statement/executing/"))
                    .<TrinoPath>map(QueryPath::new)
                    .orElseGet(Unroutable::new);
        }
        if (path.startsWith("/v1/query/")) {
            return segmentAfter(path, "/v1/query/").<TrinoPath>map(QueryPath::new).orElseGet(AnyCluster::new);
        }
        if (path.startsWith("/ui/api/query/")) {
            return segmentAfter(path, "/ui/api/query/").<TrinoPath>map(QueryPath::new).orElseGet(AnyCluster::new);
        }
        if (path.equals("/ui/query.html") && query != null && isQueryId(query)) {
            return new QueryPath(query);
        }
        if (path.startsWith("/v1/spooled/")) {
            return new Unroutable();
        }
        if (path.startsWith(AuthFlow.TOKEN_PATH)) {
            return authFlow(path.substring(AuthFlow.TOKEN_PATH.length())).<TrinoPath>map(AuthFlow::new).orElseGet(WebUi::new);
        }
        if (isClientPath(path)) {
            return path.startsWith("/ui") || path.startsWith("/oauth2") ? new WebUi() : new AnyCluster();
        }
        return new NotTrino();
    }

    /**
     * Whether a cluster path is one that Trino's clients, its web UI or its login use: the only
     * paths the gateway forwards. A cluster's internal resources (tasks, nodes, JMX, its state)
     * are not reachable through the gateway.
     */
    static boolean isClientPath(String path)
    {
        for (String clientPath : CLIENT_PATHS) {
            if (path.startsWith(clientPath) && (path.length() == clientPath.length() || path.charAt(clientPath.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /**
     * The query id in a statement URI, with or without the gateway's cluster prefix.
     */
    static Optional<String> statementQueryId(String path)
    {
        if (path.startsWith(GatewayQueued.PATH)) {
            return Optional.of(gatewayQueued(path).id());
        }
        for (String resource : List.of("/v1/statement/queued/", "/v1/statement/executing/")) {
            int start = path.indexOf(resource);
            if (start >= 0) {
                Optional<String> queryId = segmentAfter(path.substring(start), resource);
                if (queryId.isPresent()) {
                    return queryId;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The key of an external authentication from what follows {@code /oauth2/token/}: the hash
     * of {@code initiate/<hash>}, or the hash of {@code <id>} as Trino computes it (of the id as
     * a canonical UUID, the way its resource reads the path).
     */
    private static Optional<String> authFlow(String rest)
    {
        if (rest.startsWith("initiate/")) {
            String hash = rest.substring("initiate/".length());
            return isAuthIdHash(hash) ? Optional.of(hash) : Optional.empty();
        }
        if (rest.isEmpty() || rest.length() > 36 || rest.indexOf('/') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Hashing.sha256().hashString(UUID.fromString(rest).toString(), UTF_8).toString());
        }
        catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the text is a SHA-256 in lower-case hex, as Trino writes the hash of an authentication id.
     */
    static boolean isAuthIdHash(String text)
    {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static GatewayQueued gatewayQueued(String path)
    {
        int idEnd = path.indexOf('/', GatewayQueued.PATH.length());
        if (idEnd < 0) {
            return new GatewayQueued(path.substring(GatewayQueued.PATH.length()), "");
        }
        int slugEnd = path.indexOf('/', idEnd + 1);
        return new GatewayQueued(path.substring(GatewayQueued.PATH.length(), idEnd), slugEnd < 0 ? path.substring(idEnd + 1) : path.substring(idEnd + 1, slugEnd));
    }

    private static Optional<String> segmentAfter(String path, String prefix)
    {
        if (!path.startsWith(prefix)) {
            return Optional.empty();
        }
        int end = path.indexOf('/', prefix.length());
        String segment = end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end);
        return isQueryId(segment) ? Optional.of(segment) : Optional.empty();
    }

    /**
     * Whether the text can be a Trino query id: 1 to 128 of {@code [a-z0-9_]}. A loop, not a
     * regular expression: it runs for every new query's response and every query-id path.
     */
    static boolean isQueryId(String text)
    {
        if (text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
