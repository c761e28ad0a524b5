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
package io.switchboard.gateway;

import io.switchboard.gateway.proxy.TrinoLogins;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoCli;
import io.switchboard.testing.TrinoServer;
import io.trino.jdbc.TestingRedirectHandlerInjector;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Two real Trino 476 clusters that authenticate with OAuth2 against one identity provider (a
 * real OpenID Connect server in the test), behind the gateway, behind a TLS-terminating load
 * balancer: the external authentication of trino-jdbc and the web UI's login both complete,
 * each login on one cluster, once, with no loop, and the token of a login made on one cluster
 * runs queries on both.
 */
@TestInstance(PER_CLASS)
final class TestTrinoOAuth2Clusters
{
    private static final String ISSUER_ID = "default";
    private static final String CLIENT_ID = "trino";
    private static final String USER = "alice";
    private static final List<String> CLUSTERS = List.of("adhoc-1", "adhoc-2");
    private static final Duration LOG_DELAY = Duration.ofSeconds(30);

    private TestingMysql mysql;
    private MockOAuth2Server identityProvider;
    private URI identityProviderUri;
    private final Map<String, TrinoServer> clusters = new HashMap<>();
    private TestingGateway gateway;
    private TlsTerminator loadBalancer;
    private ExecutorService browsers;

    @BeforeAll
    void start()
            throws Exception
    {
        mysql = TestingMysql.start();
        identityProvider = new MockOAuth2Server(new OAuth2Config(
                // no login page: the provider signs the user in at once on the authorization request
                false,
                null,
                null,
                false,
                new OAuth2TokenProvider(),
                Set.of(new DefaultOAuth2TokenCallback(ISSUER_ID, USER, "JWT", List.of(CLIENT_ID), Map.of("groups", List.of("analysts")), 3600))));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        identityProvider.start(InetAddress.getLoopbackAddress(), port);
        identityProviderUri = URI.create("http://127.0.0.1:" + port + "/");
        List<CompletableFuture<TrinoServer>> starting = CLUSTERS.stream()
                .map(name -> CompletableFuture.supplyAsync(() -> oauth2Cluster(name)))
                .toList();
        for (CompletableFuture<TrinoServer> cluster : starting) {
            TrinoServer server = cluster.join();
            clusters.put(server.name(), server);
        }
        gateway = new TestingGateway(mysql, Map.of(
                // the load balancer's X-Forwarded-Proto: https tells the clusters the client's connection is secure
                "proxy.trust-forwarded-headers", "true",
                "routing.policy", "ROUND_ROBIN"));
        for (String name : CLUSTERS) {
            gateway.addCluster(clusters.get(name), "adhoc");
        }
        // a login goes to one of the routable clusters: a cluster turning HEALTHY between a login's
        // first and last step would move it (as a cluster failing mid-login does), so start with both
        for (String name : CLUSTERS) {
            assertEventually(Duration.ofSeconds(60), () -> assertThat(TestingGateway.json(gateway.send("GET", "/api/v1/clusters/" + name, null).body())
                    .at("/health/state").asText()).isEqualTo("HEALTHY"));
        }
        loadBalancer = new TlsTerminator(gateway.baseUri());
        browsers = Executors.newCachedThreadPool();
    }

    /**
     * A member cluster configured as docs/operations.md tells operators to configure an OAuth2 cluster.
     */
    private TrinoServer oauth2Cluster(String name)
    {
        return memberCluster(name, mysql)
                .withProperty("http-server.authentication.type", "oauth2")
                .withProperty("web-ui.authentication.type", "oauth2")
                .withProperty("http-server.authentication.oauth2.issuer", identityProviderUri.resolve(ISSUER_ID).toString())
                .withProperty("http-server.authentication.oauth2.client-id", CLIENT_ID)
                .withProperty("http-server.authentication.oauth2.client-secret", "trino-client-secret")
                .withProperty("http-server.authentication.oauth2.principal-field", "sub")
                .withProperty("internal-communication.shared-secret", "switchboard-test-internal-secret")
                // the test harness checks readiness with a plain-HTTP query to the cluster's own port
                .withProperty("http-server.authentication.allow-insecure-over-http", "true")
                .start();
    }

    @AfterAll
    void stop()
    {
        TestingRedirectHandlerInjector.setRedirectHandler(uri -> {
            throw new IllegalStateException("No browser for " + uri);
        });
        if (browsers != null) {
            browsers.shutdownNow();
        }
        closeAll(loadBalancer, gateway, clusters.get("adhoc-2"), clusters.get("adhoc-1"), identityProvider::shutdown, mysql);
    }

    @Test
    void jdbcExternalAuthenticationCompletesOnOneClusterAndItsTokenRunsQueriesOnBoth()
            throws Exception
    {
        List<URI> redirects = new CopyOnWriteArrayList<>();
        List<Future<Browser>> logins = new CopyOnWriteArrayList<>();
        // the driver opens the login page in a browser and polls for the token meanwhile
        TestingRedirectHandlerInjector.setRedirectHandler(uri -> {
            redirects.add(uri);
            logins.add(browsers.submit(() -> login(uri)));
        });

        Set<String> loginClusters = new HashSet<>();
        for (int login = 1; login <= 20 && loginClusters.size() < CLUSTERS.size(); login++) {
            Map<String, Long> callbacksBefore = countRequests(path -> path.startsWith("/oauth2/callback"));
            Map<String, Long> pollsBefore = countRequests(path -> path.startsWith("/oauth2/token/") && !path.startsWith("/oauth2/token/initiate/"));

            // a new connection has no token: it logs in once, then runs every query with the token
            try (Connection connection = DriverManager.getConnection(loadBalancer.jdbcUrl() + "&externalAuthentication=true&externalAuthenticationTimeout=60s", USER, null)) {
                Set<String> ranOn = new HashSet<>();
                for (int query = 0; query < 4; query++) {
                    ranOn.add(coordinatorOf(connection));
                }
                assertThat(ranOn).as("queries of one login, on both clusters").containsExactlyInAnyOrderElementsOf(CLUSTERS);
            }
            assertThat(redirects).as("one login per connection: no loop").hasSize(login);
            Browser browser = logins.getLast().get(60, SECONDS);
            assertThat(browser.visitsTo(identityProviderUri)).isEqualTo(1);

            // every step of the login reached one cluster: the browser's, the provider's callback and the driver's polls
            String hash = redirects.getLast().getPath().substring("/oauth2/token/initiate/".length());
            String loginCluster = clusterThatServed("/oauth2/token/initiate/" + hash);
            assertEventually(LOG_DELAY, () -> {
                Map<String, Long> callbacks = countRequests(path -> path.startsWith("/oauth2/callback"));
                Map<String, Long> polls = countRequests(path -> path.startsWith("/oauth2/token/") && !path.startsWith("/oauth2/token/initiate/"));
                for (String cluster : CLUSTERS) {
                    long newCallbacks = callbacks.get(cluster) - callbacksBefore.get(cluster);
                    long newPolls = polls.get(cluster) - pollsBefore.get(cluster);
                    assertThat(newCallbacks).as("callbacks on %s", cluster).isEqualTo(cluster.equals(loginCluster) ? 1 : 0);
                    if (cluster.equals(loginCluster)) {
                        assertThat(newPolls).as("token polls on %s", cluster).isPositive();
                    }
                    else {
                        assertThat(newPolls).as("token polls on %s", cluster).isZero();
                    }
                }
            });
            loginClusters.add(loginCluster);
        }
        assertThat(loginClusters).as("clusters that completed logins").containsExactlyInAnyOrderElementsOf(CLUSTERS);
    }

    @Test
    void cliExternalAuthenticationCompletes()
            throws Exception
    {
        Map<String, Long> callbacksBefore = countRequests(path -> path.startsWith("/oauth2/callback"));
        for (int run = 0; run < 2; run++) {
            List<URI> redirects = new CopyOnWriteArrayList<>();
            List<Future<Browser>> logins = new CopyOnWriteArrayList<>();
            String output = TrinoCli.executeWithExternalAuthentication(loadBalancer.baseUri(), USER, loadBalancer.cliOptions(),
                    "SELECT current_user, node_id FROM system.runtime.nodes WHERE coordinator",
                    uri -> {
                        redirects.add(uri);
                        logins.add(browsers.submit(() -> login(uri)));
                    });
            assertThat(redirects).as("one login: no loop").hasSize(1);
            assertThat(redirects.getFirst()).hasScheme("https").hasPort(loadBalancer.baseUri().getPort());
            assertThat(logins.getFirst().get(60, SECONDS).visitsTo(identityProviderUri)).isEqualTo(1);
            assertThat(output.strip()).isIn(CLUSTERS.stream().map(cluster -> "\"" + USER + "\",\"" + cluster + "\"").toList());
        }
        // one callback per login reached a cluster (once in the clusters' request logs, which the other tests count)
        assertEventually(LOG_DELAY, () -> {
            Map<String, Long> callbacks = countRequests(path -> path.startsWith("/oauth2/callback"));
            assertThat(CLUSTERS.stream().mapToLong(cluster -> callbacks.get(cluster) - callbacksBefore.get(cluster)).sum()).as("callbacks of two logins").isEqualTo(2);
        });
    }

    /**
     * Opens the login address of an external authentication, as the user's browser does.
     */
    private Browser login(URI uri)
    {
        Browser browser = new Browser(loadBalancer.clientContext());
        HttpResponse<String> page = browser.open(uri);
        assertThat(page.statusCode()).as("login page %s after %s", page.body(), browser.visited()).isEqualTo(200);
        assertThat(page.body()).contains("OAuth2 authentication succeeded");
        return browser;
    }

    @Test
    void webUiLoginStaysOnOneClusterWithoutLoop()
    {
        Set<String> uiClusters = new HashSet<>();
        for (int attempt = 0; attempt < 10 && uiClusters.size() < CLUSTERS.size(); attempt++) {
            Map<String, Long> callbacksBefore = countRequests(path -> path.startsWith("/oauth2/callback"));
            Browser browser = new Browser(loadBalancer.clientContext());
            HttpResponse<String> page = browser.open(loadBalancer.baseUri().resolve("/ui/"));

            assertThat(page.statusCode()).as("UI after %s", browser.visited()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Cluster Overview - Trino</title>");
            assertThat(page.uri()).isEqualTo(loadBalancer.baseUri().resolve("/ui/"));
            assertThat(browser.visitsTo(identityProviderUri)).as("logins in %s", browser.visited()).isEqualTo(1);
            String cluster = browser.cookie(TrinoLogins.UI_CLUSTER_COOKIE).orElseThrow();
            assertThat(cluster).isIn(CLUSTERS);

            // logged in: the UI's own API answers, again and again, from the same cluster and without another login
            for (int request = 0; request < 5; request++) {
                HttpResponse<String> stats = browser.open(loadBalancer.baseUri().resolve("/ui/api/stats"));
                assertThat(stats.statusCode()).isEqualTo(200);
                assertThat(TestingGateway.json(stats.body()).has("runningQueries")).isTrue();
            }
            assertThat(browser.visitsTo(identityProviderUri)).isEqualTo(1);
            assertThat(browser.cookie(TrinoLogins.UI_CLUSTER_COOKIE)).contains(cluster);
            assertEventually(LOG_DELAY, () -> {
                Map<String, Long> callbacks = countRequests(path -> path.startsWith("/oauth2/callback"));
                for (String other : CLUSTERS) {
                    assertThat(callbacks.get(other) - callbacksBefore.get(other)).as("callbacks on %s", other).isEqualTo(other.equals(cluster) ? 1 : 0);
                }
                assertThat(statsRequests(clusters.get(cluster))).isGreaterThanOrEqualTo(5);
            });
            uiClusters.add(cluster);
        }
        assertThat(uiClusters).as("clusters that served a UI session").containsExactlyInAnyOrderElementsOf(CLUSTERS);
    }

    private static String coordinatorOf(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT node_id FROM system.runtime.nodes WHERE coordinator")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private String clusterThatServed(String path)
    {
        AtomicReference<String> found = new AtomicReference<>();
        assertEventually(LOG_DELAY, () -> {
            List<String> served = CLUSTERS.stream().filter(cluster -> clusters.get(cluster).httpRequestLog().contains(path)).toList();
            assertThat(served).as("clusters that served %s", path).hasSize(1);
            found.set(served.getFirst());
        });
        return found.get();
    }

    /**
     * Requests in each cluster's HTTP request log whose path matches.
     */
    private Map<String, Long> countRequests(Predicate<String> path)
    {
        Map<String, Long> counts = new HashMap<>();
        for (String cluster : CLUSTERS) {
            counts.put(cluster, clusters.get(cluster).httpRequestLog().lines()
                    .flatMap(line -> Arrays.stream(line.split("\\s+")))
                    .filter(field -> field.startsWith("/"))
                    .map(field -> field.indexOf('?') < 0 ? field : field.substring(0, field.indexOf('?')))
                    .filter(path)
                    .count());
        }
        return counts;
    }

    private static long statsRequests(TrinoServer cluster)
    {
        return cluster.httpRequestLog().lines().filter(line -> line.contains("/ui/api/stats")).count();
    }
}
