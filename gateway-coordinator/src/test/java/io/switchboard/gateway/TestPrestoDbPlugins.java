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
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatus;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.testing.PrestoDbCli;
import io.switchboard.testing.PrestoDbServer;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static io.switchboard.store.status.ClusterState.SHUTTING_DOWN;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.prestoDbMemberCluster;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * A real PrestoDB 0.287 coordinator with the Switchboard plugin for PrestoDB, behind the gateway:
 * the query history its event listener writes, and the drain of its access control.
 */
@TestInstance(PER_CLASS)
final class TestPrestoDbPlugins
{
    private static final String CLUSTER = "presto-plugins-1";
    // one user per test: the history test counts its user's rows
    private static final String HISTORY_USER = "presto-history";
    private static final String DRAIN_USER = "presto-drain";
    private static final String TRANSACTION_USER = "presto-transaction";
    private static final String SHUTDOWN_USER = "presto-shutdown";
    // 200 rows of 1 MB, far more than PrestoDB buffers: the query keeps running until the client reads them all
    private static final String LONG_QUERY = "SELECT x, lpad('x', 1000000, 'x') FROM UNNEST(sequence(1, 200)) AS t(x)";

    private TestingMysql mysql;
    private TestingGateway gateway;
    private PrestoDbServer presto;

    @BeforeAll
    void start()
    {
        try {
            mysql = TestingMysql.start();
            gateway = new TestingGateway(mysql, Map.of());
            presto = prestoDbMemberCluster(CLUSTER, mysql, """
                    switchboard.heartbeat-interval=1s
                    switchboard.gateway-url=%s
                    """.formatted(gateway.baseUri())).start();
            HttpResponse<String> added = gateway.send("POST", "/api/v1/clusters", """
                    {"name": "%s", "proxyUrl": "%s", "routingGroup": "adhoc", "kind": "prestodb"}
                    """.formatted(CLUSTER, presto.baseUri()));
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        }
        catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, presto, mysql);
    }

    @Test
    void eventListenerWritesTheHistoryOfQueriesSentThroughTheGateway()
            throws Exception
    {
        assertThat(PrestoDbCli.execute(gateway.baseUri(), HISTORY_USER, "SELECT count(*) FROM tpch.tiny.nation n JOIN tpch.tiny.region r ON n.regionkey = r.regionkey"))
                .isEqualTo("\"25\"\n");
        assertThat(PrestoDbCli.run(gateway.baseUri(), HISTORY_USER, "SELECT 1 / 0").exitCode()).isNotZero();

        assertEventually(Duration.ofSeconds(60), () -> {
            List<Map<String, Object>> rows = mysql.jdbi().withHandle(handle -> handle.createQuery("""
                    SELECT query_id, cluster_name, user_name, source, state, error_name, error_type,
                            output_rows, input_rows, query_text, created_at, ended_at, wall_time_ms
                    FROM queries WHERE user_name = :user ORDER BY created_at""")
                    .bind("user", HISTORY_USER)
                    .mapToMap()
                    .list());
            assertThat(rows).hasSize(2);
            Map<String, Object> join = rows.get(0);
            assertThat(join.get("query_id").toString()).matches("\\d{8}_\\d{6}_\\d{5}_\\w{5}");
            assertThat(join).containsEntry("cluster_name", CLUSTER)
                    .containsEntry("source", "presto-cli")
                    .containsEntry("state", "FINISHED")
                    .containsEntry("output_rows", 1L)
                    .containsEntry("input_rows", 30L);
            assertThat(join.get("query_text").toString()).contains("JOIN tpch.tiny.region r");
            assertThat(join.get("ended_at")).isNotNull();
            assertThat(join.get("error_name")).isNull();
            // the gateway's own record of the same query id
            List<String> routes = mysql.jdbi().withHandle(handle -> handle.createQuery("SELECT concat(cluster_name, '/', routing_group) FROM query_routes WHERE query_id = :id")
                    .bind("id", join.get("query_id"))
                    .mapTo(String.class)
                    .list());
            assertThat(routes).containsExactly(CLUSTER + "/adhoc");

            Map<String, Object> division = rows.get(1);
            assertThat(division).containsEntry("cluster_name", CLUSTER)
                    .containsEntry("state", "FAILED")
                    .containsEntry("error_name", "DIVISION_BY_ZERO")
                    .containsEntry("error_type", "USER_ERROR");

            List<String> tables = mysql.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT concat(catalog_name, '.', schema_name, '.', table_name) FROM query_tables WHERE query_id = :id ORDER BY table_name")
                    .bind("id", join.get("query_id"))
                    .mapTo(String.class)
                    .list());
            // PrestoDB's tpch connector names the tiny schema by its scale factor in events
            assertThat(tables).containsExactly("tpch.sf0.01.nation", "tpch.sf0.01.region");
        });
    }

    @Test
    void drainRefusesNewQueriesLetsRunningOnesFinishAndEnds()
            throws Exception
    {
        ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
        ClusterStatus idle = awaitState(statuses, ACTIVE);
        assertThat(idle.report().trinoVersion()).contains("0.287-b8952fa");
        assertThat(idle.report().coordinatorNodeId()).contains(CLUSTER);
        assertThat(idle.report().activeWorkers()).isEqualTo(1);
        assertThat(idle.report().totalMemoryBytes()).isPositive();

        // spoken by hand: the CLI would read all 200 rows and let the query finish at once
        JsonNode longQuery = awaitRunning(submit(presto.baseUri(), LONG_QUERY));
        assertEventually(Duration.ofSeconds(30), () -> {
            ClusterStatus status = statuses.get(CLUSTER).orElseThrow();
            assertThat(status.report().runningQueries()).isEqualTo(1);
            assertThat(status.report().queryCounts().orElseThrow().byUser()).containsEntry(DRAIN_USER, 1);
        });

        HttpResponse<String> drain = gateway.send("POST", "/api/v1/clusters/" + CLUSTER + "/drain", null);
        assertThat(drain.statusCode()).as(drain.body()).isBetween(200, 204);
        awaitState(statuses, SHUTTING_DOWN);
        assertRefusedDirectly();

        assertThat(readToEnd(longQuery)).isEqualTo(200);
        awaitState(statuses, DRAINED);
        assertRefusedDirectly();
        // a drained coordinator is still up: PrestoDB's own shutdown would end it, the plugin only refuses
        assertThat(presto.isRunning()).isTrue();

        HttpResponse<String> activate = gateway.send("POST", "/api/v1/clusters/" + CLUSTER + "/activate", null);
        assertThat(activate.statusCode()).as(activate.body()).isBetween(200, 204);
        awaitState(statuses, ACTIVE);
        assertThat(PrestoDbCli.execute(presto.baseUri(), DRAIN_USER, "SELECT count(*) FROM tpch.tiny.region")).isEqualTo("\"5\"\n");
        assertThat(PrestoDbCli.execute(gateway.baseUri(), DRAIN_USER, "SELECT count(*) FROM tpch.tiny.region")).isEqualTo("\"5\"\n");
        assertThat(presto.serverLog())
                .contains("Cluster " + CLUSTER + ": ACTIVE -> SHUTTING_DOWN")
                .contains("Cluster " + CLUSTER + ": SHUTTING_DOWN -> DRAINED")
                .contains("Cluster " + CLUSTER + ": DRAINED -> ACTIVE");
    }

    @Test
    void transactionOpenedThroughTheGatewayFinishesDuringTheDrain()
            throws Exception
    {
        ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
        awaitState(statuses, ACTIVE);
        Properties properties = new Properties();
        properties.setProperty("user", TRANSACTION_USER);
        try (Connection connection = DriverManager.getConnection("jdbc:presto://" + gateway.baseUri().getAuthority() + "/tpch/tiny", properties)) {
            connection.setAutoCommit(false);
            // presto-jdbc runs START TRANSACTION before the first statement
            assertThat(count(connection, "SELECT count(*) FROM nation")).isEqualTo(25);

            HttpResponse<String> drain = gateway.send("POST", "/api/v1/clusters/" + CLUSTER + "/drain", null);
            assertThat(drain.statusCode()).as(drain.body()).isBetween(200, 204);
            awaitState(statuses, SHUTTING_DOWN);
            assertRefusedDirectly();

            // the gateway marks the transaction's statements (X-Presto-Extra-Credential), which the plugin lets through
            assertThat(count(connection, "SELECT count(*) FROM region")).isEqualTo(5);
            // a few heartbeats: the drain waits for the open transaction
            Thread.sleep(3_000);
            assertThat(statuses.get(CLUSTER).orElseThrow().report().state()).isEqualTo(SHUTTING_DOWN);
            connection.commit();
        }
        awaitState(statuses, DRAINED);

        HttpResponse<String> activate = gateway.send("POST", "/api/v1/clusters/" + CLUSTER + "/activate", null);
        assertThat(activate.statusCode()).as(activate.body()).isBetween(200, 204);
        awaitState(statuses, ACTIVE);
    }

    @Test
    void queuedEventsReachMysqlWhenTheCoordinatorStops()
            throws Exception
    {
        // events wait in memory up to a minute: only the plugin's JVM shutdown hook can write them sooner
        PrestoDbServer stopping = prestoDbMemberCluster("presto-plugins-2", mysql, "")
                .withEtcFile("event-listener.properties", """
                        event-listener.name=switchboard-events
                        switchboard.cluster-name=presto-plugins-2
                        switchboard.mysql.url=%s
                        switchboard.mysql.user=%s
                        switchboard.flush-interval=1m
                        """.formatted(mysql.jdbcUrl(), mysql.connection().user()))
                .start();
        try {
            assertThat(PrestoDbCli.execute(stopping.baseUri(), SHUTDOWN_USER, "SELECT count(*) FROM tpch.tiny.nation")).isEqualTo("\"25\"\n");
            assertThat(finishedQueries(SHUTDOWN_USER)).as("events still queued in memory").isZero();
        }
        finally {
            // SIGTERM, as a service manager stops PrestoDB
            stopping.close();
        }
        assertThat(finishedQueries(SHUTDOWN_USER)).isEqualTo(1);
    }

    private long finishedQueries(String user)
    {
        return mysql.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM queries WHERE user_name = :user AND state = 'FINISHED' AND ended_at IS NOT NULL")
                .bind("user", user)
                .mapTo(Long.class)
                .one());
    }

    private static long count(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }

    private void assertRefusedDirectly()
            throws Exception
    {
        PrestoDbCli.Result refused = PrestoDbCli.run(presto.baseUri(), "presto-late", "SELECT count(*) FROM tpch.tiny.nation");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.errors())
                .contains("Cluster " + CLUSTER + " is shutting down")
                .contains("Retry in a few minutes, or connect through the Switchboard gateway at " + gateway.baseUri());
    }

    private ClusterStatus awaitState(ClusterStatusDao statuses, ClusterState state)
    {
        assertEventually(Duration.ofSeconds(60), () -> assertThat(statuses.get(CLUSTER).map(status -> status.report().state()))
                .as("cluster_status of %s; server log:%n%s", CLUSTER, presto.serverLog())
                .contains(state));
        return statuses.get(CLUSTER).orElseThrow();
    }

    /**
     * Follows the query until PrestoDB says it is running, then stops reading: with 200 MB of
     * results and nobody fetching them, it stays running until {@link #readToEnd} is called.
     */
    private static JsonNode awaitRunning(HttpResponse<String> submitted)
    {
        JsonNode results = json(submitted.body());
        while (!results.path("stats").path("state").asText().equals("RUNNING")) {
            assertThat(results.has("nextUri")).as("query still has a next URI: %s", results).isTrue();
            assertThat(results.has("error")).as("query failed: %s", results).isFalse();
            results = json(get(URI.create(results.get("nextUri").asText())).body());
        }
        return results;
    }

    private static int readToEnd(JsonNode results)
    {
        int rows = results.path("data").size();
        while (results.has("nextUri")) {
            results = json(get(URI.create(results.get("nextUri").asText())).body());
            rows += results.path("data").size();
        }
        assertThat(results.path("stats").path("state").asText()).as("final state of %s", results.path("id")).isEqualTo("FINISHED");
        return rows;
    }

    private static HttpResponse<String> submit(URI server, String sql)
    {
        return TestingGateway.send(HttpRequest.newBuilder(server.resolve("/v1/statement"))
                .header("X-Presto-User", DRAIN_USER)
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8))
                .build());
    }

    private static HttpResponse<String> get(URI uri)
    {
        return TestingGateway.send(HttpRequest.newBuilder(uri).header("X-Presto-User", DRAIN_USER).GET().build());
    }
}
