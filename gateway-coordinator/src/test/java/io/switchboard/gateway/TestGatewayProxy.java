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

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.routing.QueryRoutes;
import io.switchboard.gateway.server.ServerConfig.IoPath;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TestingObjectStore;
import io.switchboard.testing.TrinoServer;
import io.trino.jdbc.TrinoStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static io.switchboard.gateway.TrinoHttp.body;
import static io.switchboard.gateway.TrinoHttp.onServer;
import static io.switchboard.gateway.TrinoJdbc.checksum;
import static io.switchboard.gateway.TrinoJdbc.singleValue;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.awaitTrue;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Two real Trino 476 clusters behind two gateway replicas sharing one MariaDB: whatever a client
 * does through the gateway gives what it gives directly.
 */
@TestInstance(PER_CLASS)
class TestGatewayProxy
{
    private static final String LONG_QUERY = "SELECT count(*) FROM tpch.sf1000.lineitem CROSS JOIN tpch.sf1000.orders";

    private TestingMysql mysql;
    private TestingObjectStore objectStore;
    private TrinoServer adhoc1;
    private TrinoServer adhoc2;
    private TestingGateway gateway;
    private TestingGateway otherGateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        // every client case here also holds with the spooling protocol on
        objectStore = TestingObjectStore.start("spooling");
        CompletableFuture<TrinoServer> first = CompletableFuture.supplyAsync(() -> memberCluster("adhoc-1", mysql).withSpooling(objectStore).start());
        CompletableFuture<TrinoServer> second = CompletableFuture.supplyAsync(() -> memberCluster("adhoc-2", mysql).withSpooling(objectStore).start());
        adhoc1 = first.join();
        adhoc2 = second.join();
        gateway = new TestingGateway(mysql, Map.of("gateway.id", "gateway-a", "http-server.io-path", ioPath().name()));
        otherGateway = new TestingGateway(mysql, Map.of("gateway.id", "gateway-b", "proxy.max-statement-size", "64kB", "http-server.io-path", ioPath().name()));
        gateway.addCluster(adhoc1, "adhoc");
        gateway.addCluster(adhoc2, "adhoc");
        awaitClusters(otherGateway, 2);
    }

    /**
     * The I/O path both replicas run on: the default (lean) here, Jetty's stock one in {@link TestGatewayProxyOnStockIoPath}.
     */
    protected IoPath ioPath()
    {
        return IoPath.LEAN;
    }

    @AfterAll
    void stop()
    {
        closeAll(otherGateway, gateway, adhoc2, adhoc1, objectStore, mysql);
    }

    @Test
    void smallQueryReturnsWhatTheClusterReturns()
            throws Exception
    {
        String sql = "SELECT nationkey, name, regionkey, comment FROM tpch.tiny.nation ORDER BY nationkey";
        assertThat(rows(gateway.jdbcUrl(), sql)).hasSize(25).isEqualTo(rows(adhoc1.jdbcUrl(), sql));
    }

    @Test
    void largeResultStreamsThroughUnchanged()
            throws Exception
    {
        String sql = "SELECT orderkey, custkey, orderstatus, totalprice, orderdate, comment FROM tpch.sf1.orders WHERE orderkey % 4 = 1";
        TrinoJdbc.Checksum throughGateway = checksum(gateway.jdbcUrl(), sql);
        TrinoJdbc.Checksum direct = checksum(adhoc2.jdbcUrl(), sql);
        assertThat(throughGateway.rows()).isGreaterThan(300_000);
        assertThat(throughGateway).isEqualTo(direct);
    }

    @Test
    void compressedResponsesPassThroughAsTheClusterSentThem()
            throws Exception
    {
        Optional<String> gzip = Optional.of("gzip");
        // the reference: the cluster compresses when asked, and only then
        assertThat(TrinoHttp.getRaw(adhoc1.baseUri().resolve("/v1/info"), "gzip-user", gzip).headers().firstValue("Content-Encoding")).contains("gzip");

        HttpResponse<byte[]> compressed = TrinoHttp.getRaw(gateway.baseUri().resolve("/v1/info"), "gzip-user", gzip);
        assertThat(compressed.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(TestingGateway.json(gunzip(compressed.body())).path("nodeVersion").path("version").asText()).isEqualTo("476");
        HttpResponse<byte[]> plain = TrinoHttp.getRaw(gateway.baseUri().resolve("/v1/info"), "gzip-user", Optional.empty());
        assertThat(plain.headers().firstValue("Content-Encoding")).as("the gateway must not ask clusters for gzip on its own").isEmpty();
        assertThat(TestingGateway.json(new String(plain.body(), UTF_8)).path("nodeVersion").path("version").asText()).isEqualTo("476");

        // every page of a large result: compressed by the cluster, passed through, complete once inflated
        JsonNode results = body(TrinoHttp.submit(gateway.baseUri(), "SELECT orderkey, comment FROM tpch.tiny.orders", "gzip-user", null));
        int rows = 0;
        int compressedPages = 0;
        while (results.has("nextUri")) {
            HttpResponse<byte[]> page = TrinoHttp.getRaw(URI.create(results.get("nextUri").asText()), "gzip-user", gzip);
            assertThat(page.statusCode()).isEqualTo(200);
            boolean isCompressed = page.headers().firstValue("Content-Encoding").equals(gzip);
            results = TestingGateway.json(isCompressed ? gunzip(page.body()) : new String(page.body(), UTF_8));
            if (isCompressed) {
                compressedPages++;
            }
            rows += results.path("data").size();
        }
        assertThat(results.path("stats").path("state").asText()).isEqualTo("FINISHED");
        assertThat(rows).isEqualTo(15_000);
        assertThat(compressedPages).isPositive();
    }

    @Test
    void failingQueryReportsTheTrinoErrorUnchanged()
    {
        String sql = "SELECT 1 / 0";
        SQLException throughGateway = failure(gateway.jdbcUrl(), sql);
        SQLException direct = failure(adhoc1.jdbcUrl(), sql);
        assertThat(withoutQueryId(throughGateway.getMessage())).isEqualTo(withoutQueryId(direct.getMessage())).contains("Division by zero");
        assertThat(throughGateway.getErrorCode()).isEqualTo(direct.getErrorCode());
    }

    @Test
    void sessionPropertiesPreparedStatementsAndUseSurviveRouting()
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "session-user", null);
                Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION query_max_run_time = '77m'");
            try (ResultSet resultSet = statement.executeQuery("SHOW SESSION LIKE 'query_max_run_time'")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString("Value")).isEqualTo("77m");
            }

            try (PreparedStatement prepared = connection.prepareStatement("SELECT ? * 2")) {
                prepared.setInt(1, 21);
                try (ResultSet resultSet = prepared.executeQuery()) {
                    assertThat(resultSet.next()).isTrue();
                    assertThat(resultSet.getInt(1)).isEqualTo(42);
                }
            }

            statement.execute("PREPARE plus_one FROM SELECT ? + 1");
            try (ResultSet resultSet = statement.executeQuery("EXECUTE plus_one USING 41")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getInt(1)).isEqualTo(42);
            }

            statement.execute("USE tpch.tiny");
            try (ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM nation")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getLong(1)).isEqualTo(25);
            }
        }
    }

    @Test
    void sessionStateTravelsWithTheClientWhenConsecutiveStatementsRunOnDifferentClusters()
            throws Exception
    {
        try (TestingGateway roundRobin = new TestingGateway(mysql, Map.of("gateway.id", "gateway-round-robin", "routing.policy", "ROUND_ROBIN"))) {
            awaitClusters(roundRobin, 2);
            QueryRoutes routes = roundRobin.instance(QueryRoutes.class);
            Set<String> clusters = ConcurrentHashMap.newKeySet();
            try (Connection connection = DriverManager.getConnection(roundRobin.jdbcUrl(), "alternating-user", null);
                    Statement statement = connection.createStatement()) {
                statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> routes.cachedCluster(stats.getQueryId()).ifPresent(clusters::add));

                statement.execute("SET SESSION query_max_run_time = '77m'");
                assertThat(sessionProperty(statement, "query_max_run_time")).containsExactly("77m", "100.00d");
                statement.execute("RESET SESSION query_max_run_time");
                assertThat(sessionProperty(statement, "query_max_run_time")).containsExactly("100.00d", "100.00d");

                statement.execute("SET TIME ZONE 'Asia/Tokyo'");
                assertThat(singleValue(statement, "SELECT current_timezone()")).isEqualTo("Asia/Tokyo");
                statement.execute("SET PATH tpch.tiny");
                assertThat(singleValue(statement, "SELECT CURRENT_PATH")).contains("tpch").contains("tiny");
                statement.execute("USE tpch.tiny");
                assertThat(singleValue(statement, "SELECT count(*) FROM nation")).isEqualTo("25");
                // the client sends the role it set with every later statement, to whichever cluster
                // (these clusters grant no roles, so ALL and NONE are the roles there are to set)
                statement.execute("SET ROLE NONE");
                assertThat(singleValue(statement, "SELECT count(*) FROM region")).isEqualTo("5");
                statement.execute("SET ROLE ALL");
                assertThat(singleValue(statement, "SELECT count(*) FROM region")).isEqualTo("5");

                statement.execute("PREPARE doubled FROM SELECT ? * 2");
                assertThat(singleValue(statement, "EXECUTE doubled USING 21")).isEqualTo("42");
                statement.execute("DEALLOCATE PREPARE doubled");
                assertThatThrownBy(() -> singleValue(statement, "EXECUTE doubled USING 21"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("Prepared statement not found");
                try (PreparedStatement prepared = connection.prepareStatement("SELECT ? + ?")) {
                    prepared.setInt(1, 40);
                    prepared.setInt(2, 2);
                    try (ResultSet resultSet = prepared.executeQuery()) {
                        assertThat(resultSet.next()).isTrue();
                        assertThat(resultSet.getInt(1)).isEqualTo(42);
                    }
                }
            }
            // consecutive statements took turns on the two clusters
            assertThat(clusters).containsExactlyInAnyOrder(adhoc1.name(), adhoc2.name());
        }
    }

    private static List<String> sessionProperty(Statement statement, String name)
            throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery("SHOW SESSION LIKE '" + name + "'")) {
            assertThat(resultSet.next()).isTrue();
            List<String> valueAndDefault = List.of(resultSet.getString("Value"), resultSet.getString("Default"));
            assertThat(resultSet.next()).isFalse();
            return valueAndDefault;
        }
    }

    @Test
    void cancellingThroughTheGatewayCancelsTheQueryOnItsCluster()
            throws Exception
    {
        AtomicReference<String> queryId = new AtomicReference<>();
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "cancel-user", null);
                Statement statement = connection.createStatement()) {
            statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> {
                if (stats.getState().equals("RUNNING")) {
                    queryId.compareAndSet(null, stats.getQueryId());
                }
            });
            try (ResultSet resultSet = statement.executeQuery(LONG_QUERY)) {
                awaitTrue(() -> queryId.get() != null, Duration.ofMillis(60_000));
                // cancelled by the thread that reads, as a client does: a cancel from another thread
                // while this one waits in next() can hang trino-jdbc 476 (its background fetch is
                // cancelled without waking the reader)
                statement.cancel();
                assertThatThrownBy(resultSet::next).isInstanceOf(SQLException.class);
            }
        }
        String id = queryId.get();
        awaitTrue(() -> stateOnClusters(id).filter(state -> state.startsWith("FAILED")).isPresent(), Duration.ofMillis(30_000));
        assertThat(stateOnClusters(id)).contains("FAILED USER_CANCELED");
    }

    @Test
    void newQueriesSpreadOverTheGroupAndEveryRequestOfAQueryReachesItsCluster()
            throws Exception
    {
        List<String> queryIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "spread-user", null);
                    Statement statement = connection.createStatement()) {
                AtomicReference<String> queryId = new AtomicReference<>();
                statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> queryId.set(stats.getQueryId()));
                // a query that needs several polls
                try (ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM tpch.sf1.lineitem WHERE quantity > " + i)) {
                    assertThat(resultSet.next()).isTrue();
                }
                queryIds.add(queryId.get());
            }
        }
        List<String> onFirst = queryIdsOf(adhoc1, "spread-user");
        List<String> onSecond = queryIdsOf(adhoc2, "spread-user");
        assertThat(onFirst).isNotEmpty();
        assertThat(onSecond).isNotEmpty();
        assertThat(concat(onFirst, onSecond)).containsExactlyInAnyOrderElementsOf(queryIds);

        // the clusters' own request logs (written asynchronously): every request naming a query reached the cluster that ran it
        awaitTrue(() -> onFirst.stream().allMatch(id -> adhoc1.httpRequestLog().contains("/v1/statement/executing/" + id + "/")), Duration.ofMillis(30_000));
        awaitTrue(() -> onSecond.stream().allMatch(id -> adhoc2.httpRequestLog().contains("/v1/statement/executing/" + id + "/")), Duration.ofMillis(30_000));
        String firstLog = adhoc1.httpRequestLog();
        String secondLog = adhoc2.httpRequestLog();
        for (String id : onFirst) {
            assertThat(secondLog).doesNotContain(id);
        }
        for (String id : onSecond) {
            assertThat(firstLog).doesNotContain(id);
        }
    }

    @Test
    void queryStartedThroughOneGatewayIsPolledInspectedAndCancelledThroughAnother()
            throws Exception
    {
        HttpResponse<String> submitted = TrinoHttp.submit(gateway.baseUri(), LONG_QUERY, "replica-user", null);
        assertThat(submitted.statusCode()).isEqualTo(200);
        JsonNode results = body(submitted);
        String queryId = results.get("id").asText();
        URI nextUri = URI.create(results.get("nextUri").asText());
        assertThat(nextUri.getPort()).isEqualTo(gateway.baseUri().getPort());
        assertThat(nextUri.getPath()).startsWith("/cluster/adhoc-");

        HttpResponse<String> polled = TrinoHttp.get(onServer(nextUri, otherGateway.baseUri()), "replica-user");
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(body(polled).get("id").asText()).isEqualTo(queryId);

        // the other gateway never routed this query: it finds the cluster in MySQL or by asking the clusters
        HttpResponse<String> info = TrinoHttp.get(otherGateway.baseUri().resolve("/v1/query/" + queryId), "replica-user");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(body(info).get("queryId").asText()).isEqualTo(queryId);

        URI infoUri = URI.create(results.get("infoUri").asText());
        assertThat(infoUri.getPath()).startsWith("/cluster/adhoc-");
        HttpResponse<String> infoPage = TrinoHttp.get(onServer(infoUri, otherGateway.baseUri()), "replica-user");
        HttpResponse<String> directInfoPage = TrinoHttp.get(clusterOf(infoUri).baseUri().resolve(infoUri.getRawPath().replaceFirst("^/cluster/[^/]+", "") + "?" + infoUri.getRawQuery()), "replica-user");
        assertThat(infoPage.statusCode()).isEqualTo(directInfoPage.statusCode());
        assertThat(infoPage.headers().firstValue("Location").orElse(""))
                .isEqualTo(directInfoPage.headers().firstValue("Location").map(location -> location.replace(clusterOf(infoUri).baseUri().toString(), otherGateway.baseUri() + "/cluster/" + clusterOf(infoUri).name())).orElse(""));

        URI cancelUri = URI.create(body(polled).path("nextUri").asText(nextUri.toString()));
        assertThat(TrinoHttp.delete(onServer(cancelUri, otherGateway.baseUri()), "replica-user").statusCode()).isEqualTo(204);
        awaitTrue(() -> stateOnClusters(queryId).filter(state -> state.startsWith("FAILED")).isPresent(), Duration.ofMillis(30_000));
        assertThat(stateOnClusters(queryId)).contains("FAILED USER_CANCELED");
    }

    @Test
    void historyShowsWhereEachQueryRanAndWhichGatewayRoutedIt()
            throws Exception
    {
        AtomicReference<String> queryId = new AtomicReference<>();
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl() + "?source=history-test", "history-user", null);
                Statement statement = connection.createStatement()) {
            statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> queryId.set(stats.getQueryId()));
            try (ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM tpch.tiny.orders")) {
                assertThat(resultSet.next()).isTrue();
                // read to the end: closing a result set early cancels the query
                assertThat(resultSet.next()).isFalse();
            }
        }
        String id = queryId.get();
        // the gateway's routing record and the event listener's record meet in one row
        AtomicReference<JsonNode> lastSeen = new AtomicReference<>();
        try {
            awaitTrue(() -> {
                JsonNode seen = TestingGateway.json(otherGateway.send("GET", "/api/v1/queries/" + id, null).body());
                lastSeen.set(seen);
                return "FINISHED".equals(seen.path("state").asText()) && "gateway-a".equals(seen.path("gatewayId").asText());
            }, Duration.ofMillis(30_000));
        }
        catch (AssertionError e) {
            throw new AssertionError("History row of " + id + " incomplete: " + lastSeen.get(), e);
        }
        JsonNode details = lastSeen.get();
        assertThat(details.get("clusterName").asText()).startsWith("adhoc-");
        assertThat(details.get("routingGroup").asText()).isEqualTo("adhoc");
        assertThat(details.get("user").asText()).isEqualTo("history-user");
        assertThat(details.get("source").asText()).isEqualTo("history-test");
        assertThat(details.get("queryText").asText()).isEqualTo("SELECT count(*) FROM tpch.tiny.orders");
        assertThat(details.get("tablesRead").toString()).contains("orders");

        JsonNode page = TestingGateway.json(gateway.send("GET", "/api/v1/queries?user=history-user&state=FINISHED", null).body());
        assertThat(page.get("queries").findValuesAsText("queryId")).contains(id);
        JsonNode distribution = TestingGateway.json(gateway.send("GET", "/api/v1/queries/distribution", null).body());
        assertThat(distribution.findValuesAsText("clusterName")).contains(details.get("clusterName").asText());

        assertThat(gateway.send("GET", "/api/v1/queries?from=yesterday", null).statusCode()).isEqualTo(400);
        assertThat(gateway.send("GET", "/api/v1/queries/20200101_000000_00000_zzzzz", null).statusCode()).isEqualTo(404);
    }

    @Test
    void newQueryRefusedByOneClusterRunsOnAnotherAndDeletedClustersFinishTheirQueries()
            throws Exception
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThat(gateway.send("POST", "/api/v1/clusters", """
                {"name": "refusing", "proxyUrl": "http://127.0.0.1:%s", "routingGroup": "failover"}
                """.formatted(closedPort)).statusCode()).isEqualTo(201);
        assertThat(gateway.send("POST", "/api/v1/clusters", """
                {"name": "failover-1", "proxyUrl": "%s", "routingGroup": "failover"}
                """.formatted(adhoc1.baseUri())).statusCode()).isEqualTo(201);
        // isolated: once only the refusing cluster is left, the group's queries fail instead of falling back to the default group
        assertThat(gateway.send("PUT", "/api/v1/routing-rules/groups/failover", "{\"isolated\": true}").statusCode()).isEqualTo(200);
        try {
            // whichever cluster is tried first, every new query runs
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> submitted = TrinoHttp.submit(gateway.baseUri(), "SELECT " + i, "failover-user", "failover");
                assertThat(body(submitted).has("error")).as(submitted.body()).isFalse();
                assertThat(body(submitted).get("nextUri").asText()).contains("/cluster/failover-1/");
            }

            // a query in flight on a cluster that is then deleted still reaches it
            JsonNode running = body(TrinoHttp.submit(gateway.baseUri(), LONG_QUERY, "failover-user", "failover"));
            URI nextUri = URI.create(running.get("nextUri").asText());
            assertThat(gateway.send("DELETE", "/api/v1/clusters/failover-1", null).statusCode()).isEqualTo(204);
            HttpResponse<String> polled = TrinoHttp.get(nextUri, "failover-user");
            assertThat(polled.statusCode()).isEqualTo(200);
            assertThat(body(polled).get("id").asText()).isEqualTo(running.get("id").asText());
            assertThat(TrinoHttp.delete(URI.create(body(polled).path("nextUri").asText(nextUri.toString())), "failover-user").statusCode()).isEqualTo(204);
            // only the refusing cluster is left in the group: new queries fail with a message saying so
            // (which message depends on whether a health check has already marked it unhealthy)
            assertThat(body(TrinoHttp.submit(gateway.baseUri(), "SELECT 1", "failover-user", "failover")).at("/error/message").asText())
                    .containsAnyOf("No active cluster in routing group 'failover'", "Cluster 'refusing' cannot be reached (Connection refused) and no other cluster of routing group 'failover' is available");
        }
        finally {
            gateway.send("DELETE", "/api/v1/routing-rules/groups/failover", null);
            gateway.send("DELETE", "/api/v1/clusters/refusing", null);
            gateway.send("DELETE", "/api/v1/clusters/failover-1", null);
        }
    }

    @Test
    void everyStatementOfATransactionReachesTheClusterThatStartedIt()
            throws Exception
    {
        int connections = 20;
        List<CompletableFuture<Long>> clients = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(connections);
        try {
            for (int i = 0; i < connections; i++) {
                boolean commit = i % 4 != 3;
                clients.add(CompletableFuture.supplyAsync(() -> transaction(gateway.jdbcUrl(), commit, () -> {}), executor));
            }
            for (CompletableFuture<Long> client : clients) {
                assertThat(client.get(120, TimeUnit.SECONDS)).isEqualTo(25);
            }
            // trino-jdbc polls without the transaction header: the gateway still sees every COMMIT and ROLLBACK end its transaction
            awaitTrue(() -> StoredTransactions.openCount(mysql) == 0, Duration.ofMillis(10_000));
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void transactionsOfTwentyConnectionsContinueWhenTheReplicaTheyStartedOnIsReplaced()
            throws Exception
    {
        int connections = 20;
        TestingGateway starting = new TestingGateway(mysql, Map.of("gateway.id", "gateway-replaced"));
        TestingGateway replacement = null;
        int port = starting.baseUri().getPort();
        String jdbcUrl = starting.jdbcUrl();
        CountDownLatch started = new CountDownLatch(connections);
        CountDownLatch replaced = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(connections);
        List<CompletableFuture<Long>> clients = new ArrayList<>();
        try {
            awaitClusters(starting, 2);
            for (int i = 0; i < connections; i++) {
                boolean commit = i % 4 != 3;
                clients.add(CompletableFuture.supplyAsync(() -> transaction(jdbcUrl, commit, () -> {
                    started.countDown();
                    try {
                        assertThat(replaced.await(2, TimeUnit.MINUTES)).isTrue();
                    }
                    catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                }), executor));
            }
            assertThat(started.await(2, TimeUnit.MINUTES)).isTrue();
            // the replica the clients' address pointed at stops; another takes over the address
            starting.close();
            replacement = new TestingGateway(mysql, Map.of("gateway.id", "gateway-replacement", "http-server.http.port", String.valueOf(port)));
            awaitClusters(replacement, 2);
            replaced.countDown();
            for (CompletableFuture<Long> client : clients) {
                assertThat(client.get(120, TimeUnit.SECONDS)).isEqualTo(25);
            }
            awaitTrue(() -> StoredTransactions.openCount(mysql) == 0, Duration.ofMillis(10_000));
        }
        finally {
            replaced.countDown();
            executor.shutdownNow();
            closeAll(replacement, starting);
        }
    }

    /**
     * A client's transaction with autocommit off: {@code SELECT 1}, the count of nations and
     * {@code SELECT 2}, then a commit or a rollback; {@code whileOpen} runs after the first
     * statement, when the transaction is open.
     *
     * @return the count of nations
     */
    private static long transaction(String jdbcUrl, boolean commit, Runnable whileOpen)
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "transaction-user", null);
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            assertThat(singleValue(statement, "SELECT 1")).isEqualTo("1");
            whileOpen.run();
            long nations = Long.parseLong(singleValue(statement, "SELECT count(*) FROM tpch.tiny.nation"));
            assertThat(singleValue(statement, "SELECT 2")).isEqualTo("2");
            if (commit) {
                connection.commit();
            }
            else {
                connection.rollback();
            }
            return nations;
        }
        catch (SQLException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void aTransactionStartedThroughAStoppedReplicaContinuesThroughAnother()
    {
        String sinceMysql;
        String sinceClusters;
        try (TestingGateway stopped = new TestingGateway(mysql, Map.of("gateway.id", "gateway-stopped"))) {
            awaitClusters(stopped, 2);
            sinceMysql = startTransaction(stopped.baseUri());
            sinceClusters = startTransaction(stopped.baseUri());
            // a cluster names a transaction in its query list once a statement ran in it
            assertThat(runInTransaction(stopped.baseUri(), "SELECT 0", sinceClusters).state()).isEqualTo("FINISHED");
            awaitTrue(() -> StoredTransactions.clusterOf(mysql, sinceMysql).isPresent() && StoredTransactions.clusterOf(mysql, sinceClusters).isPresent(), Duration.ofMillis(10_000));
        }
        // one replica finds the transaction in MySQL; without the row, it asks the clusters
        mysql.execute("DELETE FROM transaction_routes WHERE transaction_id = '" + sinceClusters + "'");
        for (String transactionId : List.of(sinceMysql, sinceClusters)) {
            for (String sql : List.of("SELECT 1", "SELECT count(*) FROM tpch.tiny.region", "COMMIT")) {
                TransactionStatement statement = runInTransaction(otherGateway.baseUri(), sql, transactionId);
                assertThat(statement.state()).as(sql + " in " + transactionId + ": " + statement.error()).isEqualTo("FINISHED");
                assertThat(statement.cleared()).isEqualTo(sql.equals("COMMIT"));
            }
        }
        awaitTrue(() -> StoredTransactions.clusterOf(mysql, sinceMysql).isEmpty(), Duration.ofMillis(10_000));
        // a transaction no cluster knows: a Trino error saying so, never a silent reroute
        TransactionStatement unknown = runInTransaction(otherGateway.baseUri(), "SELECT 1", "b5a5d6e0-0000-4000-8000-000000000000");
        assertThat(unknown.state()).isEqualTo("FAILED");
        assertThat(unknown.error()).contains("Transaction b5a5d6e0-0000-4000-8000-000000000000 is not open on any cluster of the gateway");
    }

    private record TransactionStatement(String state, String error, Optional<String> startedTransactionId, boolean cleared) {}

    private static String startTransaction(URI gatewayUri)
    {
        TransactionStatement started = runInTransaction(gatewayUri, "START TRANSACTION", "NONE");
        assertThat(started.state()).as(started.error()).isEqualTo("FINISHED");
        return started.startedTransactionId().orElseThrow();
    }

    /**
     * Runs one statement as a Trino client does, with {@code X-Trino-Transaction-Id}, reading
     * the transaction headers of every response.
     */
    private static TransactionStatement runInTransaction(URI gatewayUri, String sql, String transactionId)
    {
        HttpResponse<String> response = TrinoHttp.send(HttpRequest.newBuilder(gatewayUri.resolve("/v1/statement"))
                .header("X-Trino-User", "transaction-user")
                .header("X-Trino-Transaction-Id", transactionId)
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8)));
        Optional<String> started = response.headers().firstValue("X-Trino-Started-Transaction-Id");
        boolean cleared = response.headers().firstValue("X-Trino-Clear-Transaction-Id").isPresent();
        JsonNode results = body(response);
        while (results.hasNonNull("nextUri")) {
            HttpResponse<String> next = TrinoHttp.send(HttpRequest.newBuilder(URI.create(results.get("nextUri").asText()))
                    .header("X-Trino-User", "transaction-user")
                    .header("X-Trino-Transaction-Id", transactionId)
                    .GET());
            if (started.isEmpty()) {
                started = next.headers().firstValue("X-Trino-Started-Transaction-Id");
            }
            cleared |= next.headers().firstValue("X-Trino-Clear-Transaction-Id").isPresent();
            results = body(next);
        }
        return new TransactionStatement(results.at("/stats/state").asText(), results.at("/error/message").asText(), started, cleared);
    }

    @Test
    void errorsSayWhatIsWrong()
    {
        // a group without clusters falls back to the default group, unless it is isolated
        HttpResponse<String> fallsBack = TrinoHttp.submit(gateway.baseUri(), "SELECT 1", "error-user", "etl");
        assertThat(body(fallsBack).at("/stats/state").asText()).isNotEqualTo("FAILED");
        assertThat(body(fallsBack).get("nextUri").asText()).contains("/cluster/adhoc-");
        TrinoHttp.delete(URI.create(body(fallsBack).get("nextUri").asText()), "error-user");
        assertThat(gateway.send("PUT", "/api/v1/routing-rules/groups/etl", "{\"isolated\": true}").statusCode()).isEqualTo(200);
        try {
            HttpResponse<String> noGroup = TrinoHttp.submit(gateway.baseUri(), "SELECT 1", "error-user", "etl");
            assertThat(noGroup.statusCode()).isEqualTo(200);
            assertThat(body(noGroup).at("/stats/state").asText()).isEqualTo("FAILED");
            assertThat(body(noGroup).at("/error/message").asText())
                    .contains("No active cluster in routing group 'etl'")
                    .contains("isolated");
        }
        finally {
            assertThat(gateway.send("DELETE", "/api/v1/routing-rules/groups/etl", null).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> unknownCluster = TrinoHttp.get(gateway.baseUri().resolve("/cluster/nowhere/v1/statement/executing/20260101_000000_00000_abcde/y/1"), "error-user");
        assertThat(body(unknownCluster).at("/error/message").asText()).contains("Cluster 'nowhere' is not configured");

        HttpResponse<String> tooLarge = TrinoHttp.submit(otherGateway.baseUri(), "SELECT '" + "x".repeat(100_000) + "'", "error-user", null);
        assertThat(body(tooLarge).at("/error/message").asText()).contains("proxy.max-statement-size");
        // a client on a slow link is still sending when the gateway knows the statement is too large: it reads the rest, then answers
        RawHttp.Answer tooLargeSlowly = RawHttp.sendSlowly(otherGateway.baseUri().getPort(), "POST", "/v1/statement", Map.of("X-Trino-User", "error-user"),
                ("SELECT '" + "x".repeat(1_000_000) + "'").getBytes(UTF_8));
        assertThat(tooLargeSlowly.status()).isEqualTo(200);
        assertThat(tooLargeSlowly.body()).contains("proxy.max-statement-size");

        HttpResponse<String> unknownQuery = TrinoHttp.get(gateway.baseUri().resolve("/v1/query/20200101_000000_00000_zzzzz"), "error-user");
        assertThat(unknownQuery.statusCode()).isEqualTo(404);
        assertThat(body(unknownQuery).get("error").asText()).contains("Query 20200101_000000_00000_zzzzz is not known to any cluster");
    }

    private static String gunzip(byte[] body)
            throws IOException
    {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    private TrinoServer clusterOf(URI gatewayUri)
    {
        return gatewayUri.getPath().startsWith("/cluster/" + adhoc1.name() + "/") ? adhoc1 : adhoc2;
    }

    private static void awaitClusters(TestingGateway gateway, int count)
    {
        awaitTrue(() -> TestingGateway.json(gateway.send("GET", "/api/v1/clusters", null).body()).size() == count, Duration.ofMillis(10_000));
    }

    private Optional<String> stateOnClusters(String queryId)
    {
        for (TrinoServer trino : List.of(adhoc1, adhoc2)) {
            try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "inspector", null);
                    PreparedStatement statement = connection.prepareStatement("SELECT state, error_code FROM system.runtime.queries WHERE query_id = ?")) {
                statement.setString(1, queryId);
                try (ResultSet resultSet = statement.executeQuery()) {
                    if (resultSet.next()) {
                        return Optional.of(resultSet.getString(1) + " " + resultSet.getString(2));
                    }
                }
            }
            catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }
        return Optional.empty();
    }

    private static List<String> queryIdsOf(TrinoServer trino, String user)
            throws SQLException
    {
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "inspector", null);
                PreparedStatement statement = connection.prepareStatement("SELECT query_id FROM system.runtime.queries WHERE \"user\" = ?")) {
            statement.setString(1, user);
            try (ResultSet resultSet = statement.executeQuery()) {
                while (resultSet.next()) {
                    ids.add(resultSet.getString(1));
                }
            }
        }
        return ids;
    }

    private static List<String> concat(List<String> first, List<String> second)
    {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<List<Object>> rows(String jdbcUrl, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "rows-user", null);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = resultSet.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>();
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    row.add(resultSet.getObject(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }


    private static SQLException failure(String jdbcUrl, String sql)
    {
        try {
            rows(jdbcUrl, sql);
        }
        catch (SQLException e) {
            return e;
        }
        throw new AssertionError("Query did not fail: " + sql);
    }

    private static String withoutQueryId(String message)
    {
        Matcher matcher = Pattern.compile("\\(#[a-z0-9_]+\\)").matcher(message);
        return matcher.replaceAll("(#id)");
    }
}
