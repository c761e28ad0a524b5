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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import io.switchboard.gateway.cluster.Cluster;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.net.URLDecoder;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Keeps each OAuth2 login to a Trino cluster on one cluster, without any state in the gateway.
 * <p>
 * Trino 476 builds the URIs of a login ({@code x_redirect_server}, {@code x_token_server}, the
 * web UI's {@code redirect_uri}) from its base URI, which does not include
 * {@code X-Forwarded-Prefix}, and keeps a login's token in the memory of the cluster whose
 * callback received it. So:
 * <ul>
 * <li>an external authentication (CLI, JDBC) goes to the cluster that the hash of its
 * authentication id chooses among the default group's routable clusters (rendezvous hashing, the
 * same on every gateway replica): the browser's initiate request, the identity provider's
 * callback (whose signed {@code state} carries the same hash as {@code handler_state}) and the
 * client's token polls all land there;</li>
 * <li>a browser on the web UI keeps the cluster it was given first, by a cookie.</li>
 * </ul>
 * Both are forwarded without a prefix: Trino then names the same callback URI,
 * {@code <gateway>/oauth2/callback}, when it starts the login and when it redeems the code, and
 * its nonce cookie (path {@code /oauth2/callback}) reaches it.
 */
public final class TrinoLogins
{
    /**
     * The cluster of a browser's web UI session: a cluster name, not a secret (a client may name
     * a cluster in a path as well).
     */
    public static final String UI_CLUSTER_COOKIE = "Switchboard-Trino-UI";

    private static final int MAX_STATE_LENGTH = 16 * 1024;

    private final ObjectMapper mapper;

    public TrinoLogins(ObjectMapper mapper)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * The authentication-id hash of an external authentication whose callback this is: the
     * {@code handler_state} claim of the {@code state} that Trino signed when the login began.
     * The signature is not checked here (the cluster checks it); a forged state can only choose
     * a cluster, which a path can as well. Empty for a web UI login, which has no handler state.
     */
    public Optional<String> callbackAuthIdHash(String query)
    {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("state=") && parameter.length() <= MAX_STATE_LENGTH) {
                return handlerState(parameter.substring("state=".length()));
            }
        }
        return Optional.empty();
    }

    private Optional<String> handlerState(String encodedState)
    {
        try {
            String[] parts = URLDecoder.decode(encodedState, UTF_8).split("\\.");
            if (parts.length != 3) {
                return Optional.empty();
            }
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode handlerState = claims.path("handler_state");
            return handlerState.isTextual() && TrinoPath.isAuthIdHash(handlerState.asText()) ? Optional.of(handlerState.asText()) : Optional.empty();
        }
        catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The cluster of an external authentication: the candidate with the highest hash of its name
     * and the key. A cluster that leaves or joins the candidates moves only the logins it takes
     * or took.
     */
    public static Optional<Cluster> loginCluster(String authIdHash, List<Cluster> candidates)
    {
        return candidates.stream().max(Comparator
                .comparingLong((Cluster cluster) -> Hashing.murmur3_128().hashString(cluster.name() + "/" + authIdHash, UTF_8).asLong())
                .thenComparing(Cluster::name));
    }

    /**
     * The cluster the browser's web UI cookie names, if it has one.
     */
    public static Optional<String> uiCluster(Request request)
    {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (UI_CLUSTER_COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code Set-Cookie} value that keeps a browser's web UI on the cluster. {@code Lax}: the
     * identity provider's redirect to the callback is a top-level navigation from another site,
     * and must carry it.
     */
    public static String uiClusterCookie(String clusterName, boolean secure)
    {
        return UI_CLUSTER_COOKIE + "=" + clusterName + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }
}
