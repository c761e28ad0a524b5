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
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import io.trino.jdbc.TrinoStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.switchboard.gateway.TrinoJdbc.singleValue;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.awaitTrue;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Drain, load-aware routing and crash detection with two real Trino 476 clusters whose router
 * plugins report to the gateway's MariaDB.
 */
@TestInstance(PER_CLASS)
final class TestDrainLoadAndCrashes
{
    private static final String LONG_QUERY = "SELECT count(*) FROM tpch.sf1000.lineitem CROSS JOIN tpch.sf1000.orders";

    private TestingMysql mysql;
    private TrinoServer busy;
    private TrinoServer idle;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        CompletableFuture<TrinoServer> first = CompletableFuture.supplyAsync(() -> memberCluster("etl-1", mysql, "switchboard.heartbeat-interval=1s\n").start());
        CompletableFuture<TrinoServer> second = CompletableFuture.supplyAsync(() -> memberCluster("etl-2", mysql, "switchboard.heartbeat-interval=1s\n").start());
        busy = first.join();
        idle = second.join();
        gateway = new TestingGateway(mysql, Map.of("routing.default-group", "etl", "health.check-interval", "1s", "health.timeout", "1s"));
        gateway.addCluster(busy, "etl");
        gateway.addCluster(idle, "etl");
        awaitTrue(() -> coordinator("etl-1").has("drainState") && coordinator("etl-2").has("drainState"), Duration.ofMillis(60_000));
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, idle, busy, mysql);
    }

    @Test
    void newQueriesAvoidTheLoadedClusterAndTheDrainingOne()
            throws Exception
    {
        // load etl-1 with long queries submitted to it directly
        List<Statement> longRunning = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(3);
        List<Future<?>> load = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                load.add(executor.submit(() -> runUntilCancelled(busy.jdbcUrl(), longRunning)));
            }
            awaitTrue(() -> coordinator("etl-1").path("runningQueries").asInt() + coordinator("etl-1").path("queuedQueries").asInt() >= 3, Duration.ofMillis(60_000));

            // fewer new queries than the busy cluster runs: the gateway counts what it sent since
            // the last heartbeat as load, so the idle cluster stays the less loaded one
            for (int i = 0; i < 3; i++) {
                runThroughGateway("load-user", "SELECT " + i);
            }
            assertThat(queryCount(idle, "load-user")).isEqualTo(3);
            assertThat(queryCount(busy, "load-user")).isZero();
        }
        finally {
            for (Statement statement : longRunning) {
                statement.cancel();
            }
            executor.shutdownNow();
        }

        // drain the idle cluster: the gateway stops sending it queries at once, and its coordinator
        // rejects queries sent to it directly with a message saying what to do
        assertThat(gateway.send("POST", "/api/v1/clusters/etl-2/drain", null).statusCode()).isEqualTo(200);
        awaitTrue(() -> !"ACTIVE".equals(coordinator("etl-2").path("drainState").asText()), Duration.ofMillis(30_000));
        assertThatThrownBy(() -> runQuery(idle.jdbcUrl(), "direct-user", "SELECT 1"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("shutting down");
        try {
            runThroughGateway("drain-user", "SELECT 1");
            assertThat(queryCount(busy, "drain-user")).isEqualTo(1);
            awaitTrue(() -> "DRAINED".equals(coordinator("etl-2").path("drainState").asText()), Duration.ofMillis(30_000));
        }
        finally {
            assertThat(gateway.send("POST", "/api/v1/clusters/etl-2/activate", null).statusCode()).isEqualTo(200);
        }
        awaitTrue(() -> "ACTIVE".equals(coordinator("etl-2").path("drainState").asText()), Duration.ofMillis(30_000));
        runQuery(idle.jdbcUrl(), "direct-user", "SELECT 1");
        assertThat(queryCount(idle, "drain-user")).isZero();

        JsonNode audit = TestingGateway.json(gateway.send("GET", "/api/v1/audit?target=etl-2", null).body());
        assertThat(audit.findValuesAsText("action")).contains("DRAIN_CLUSTER", "UNDRAIN_CLUSTER");
    }

    @Test
    void queriesRunningWhenACoordinatorIsKilledAreMarkedLostWhenItComesBack()
            throws Exception
    {
        List<Statement> running = new CopyOnWriteArrayList<>();
        List<String> queryIds = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<Future<Void>> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                clients.add(executor.submit(() -> {
                    try (Connection connection = DriverManager.getConnection(busy.jdbcUrl(), "crash-user", null);
                            Statement statement = connection.createStatement()) {
                        running.add(statement);
                        statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> {
                            if (!queryIds.contains(stats.getQueryId())) {
                                queryIds.add(stats.getQueryId());
                            }
                        });
                        try (ResultSet resultSet = statement.executeQuery(LONG_QUERY)) {
                            while (resultSet.next()) {
                                // the crash ends this
                            }
                        }
                    }
                    return null;
                }));
            }
            // both queries are recorded by the event listener as not completed
            try {
                awaitTrue(() -> queryIds.size() == 2 && queryIds.stream().allMatch(id -> List.of("RUNNING", "QUEUED").contains(historyState(id))), Duration.ofMillis(60_000));
            }
            catch (AssertionError e) {
                throw new AssertionError("Queries " + queryIds + " in states " + queryIds.stream().map(this::historyState).toList() +
                        ", clients done: " + clients.stream().map(Future::isDone).toList() + ", " + clients.stream().map(TestDrainLoadAndCrashes::failureOf).toList(), e);
            }

            busy.kill();
            busy.start();
        }
        finally {
            executor.shutdownNow();
        }
        for (String id : queryIds) {
            awaitTrue(() -> "LOST".equals(historyState(id)), Duration.ofMillis(60_000));
            JsonNode details = TestingGateway.json(gateway.send("GET", "/api/v1/queries/" + id, null).body());
            assertThat(details.get("clusterName").asText()).isEqualTo("etl-1");
            assertThat(details.at("/error/message").asText()).contains("Cluster etl-1 restarted at");
        }
        JsonNode lost = TestingGateway.json(gateway.send("GET", "/api/v1/queries?state=LOST&cluster=etl-1", null).body());
        assertThat(lost.get("queries").findValuesAsText("queryId")).containsAll(queryIds);
    }

    @Test
    void aTransactionOpenWhenItsClusterDrainsCommitsAndTheDrainWaitsForIt()
            throws Exception
    {
        String cluster = null;
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "transaction-drain-user", null)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                assertThat(singleValue(statement, "SELECT count(*) FROM tpch.tiny.nation")).isEqualTo("25");
                cluster = openTransactionCluster();
                assertThat(gateway.send("POST", "/api/v1/clusters/" + cluster + "/drain", null).statusCode()).isEqualTo(200);
                String drained = cluster;
                awaitTrue(() -> "SHUTTING_DOWN".equals(coordinator(drained).path("drainState").asText()), Duration.ofMillis(30_000));
                // nothing runs there any more, yet the drain waits for the open transaction (heartbeats every second)
                Thread.sleep(4_000);
                assertThat(coordinator(cluster).path("drainState").asText()).isEqualTo("SHUTTING_DOWN");
                // the transaction's statements still reach the draining cluster and are admitted
                assertThat(singleValue(statement, "SELECT count(*) FROM tpch.tiny.region")).isEqualTo("5");
            }
            connection.commit();
            String drained = cluster;
            awaitTrue(() -> "DRAINED".equals(coordinator(drained).path("drainState").asText()), Duration.ofMillis(30_000));
        }
        finally {
            if (cluster != null) {
                assertThat(gateway.send("POST", "/api/v1/clusters/" + cluster + "/activate", null).statusCode()).isEqualTo(200);
                String activated = cluster;
                awaitTrue(() -> "ACTIVE".equals(coordinator(activated).path("drainState").asText()), Duration.ofMillis(30_000));
            }
        }
    }

    private String openTransactionCluster()
            throws SQLException
    {
        // the gateway records the transaction off the request path
        awaitTrue(() -> {
            try {
                return openTransactionClusters().size() == 1;
            }
            catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, Duration.ofMillis(10_000));
        return openTransactionClusters().getFirst();
    }

    private List<String> openTransactionClusters()
            throws SQLException
    {
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT cluster_name FROM transaction_routes WHERE ended_at IS NULL")) {
            List<String> clusters = new ArrayList<>();
            while (resultSet.next()) {
                clusters.add(resultSet.getString(1));
            }
            return clusters;
        }
    }

    private static String failureOf(Future<Void> future)
    {
        if (!future.isDone()) {
            return "running";
        }
        try {
            future.get();
            return "ok";
        }
        catch (Exception e) {
            return String.valueOf(e.getCause());
        }
    }

    private String historyState(String queryId)
    {
        return TestingGateway.json(gateway.send("GET", "/api/v1/queries/" + queryId, null).body()).path("state").asText("");
    }

    private JsonNode coordinator(String cluster)
    {
        return TestingGateway.json(gateway.send("GET", "/api/v1/clusters/" + cluster, null).body()).path("coordinator");
    }

    private void runThroughGateway(String user, String sql)
            throws SQLException
    {
        runQuery(gateway.jdbcUrl(), user, sql);
    }

    private static void runQuery(String jdbcUrl, String user, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, null);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                // consume
            }
        }
    }

    private static Void runUntilCancelled(String jdbcUrl, List<Statement> statements)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "busy-user", null);
                Statement statement = connection.createStatement()) {
            statements.add(statement);
            try (ResultSet resultSet = statement.executeQuery(LONG_QUERY)) {
                while (resultSet.next()) {
                    // runs until cancelled
                }
            }
        }
        catch (SQLException e) {
            // cancelled
        }
        return null;
    }

    private static long queryCount(TrinoServer trino, String user)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "inspector", null);
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM system.runtime.queries WHERE \"user\" = ?")) {
            statement.setString(1, user);
            try (ResultSet resultSet = statement.executeQuery()) {
                resultSet.next();
                return resultSet.getLong(1);
            }
        }
    }
}
