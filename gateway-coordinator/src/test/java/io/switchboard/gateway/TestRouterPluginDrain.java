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
import io.switchboard.store.cluster.ClusterDao;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.ClusterRecord;
import io.switchboard.store.cluster.DesiredState;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatus;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static io.switchboard.store.status.ClusterState.SHUTTING_DOWN;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The router plugin installed from its zip in a real Trino 476 server from the tarball, configured
 * through etc/ as the README says, reading the server's own JMX beans, against a real MariaDB.
 */
final class TestRouterPluginDrain
{
    // 200 rows of 1 MB, far more than Trino buffers: the query keeps running until the client reads them all
    private static final String LONG_QUERY = "SELECT x, lpad('x', 1000000, 'x') FROM UNNEST(sequence(1, 200)) AS t(x)";

    @Test
    void realCoordinatorDrainsLetsRunningQueriesFinishAndComesBack()
            throws Exception
    {
        Instant before = Instant.now();
        try (TestingMysql mysql = TestingMysql.startWithSchema();
                TrinoServer trino = routerCluster("router-e2e-1", mysql, false).start()) {
            ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
            ClusterStatus idle = awaitStatus(trino, statuses, "router-e2e-1", status -> status.report().state() == ACTIVE);
            assertThat(idle.report().coordinatorNodeId()).contains("router-e2e-1");
            assertThat(idle.report().trinoVersion()).contains("476");
            assertThat(idle.report().activeWorkers()).isEqualTo(1);
            assertThat(idle.report().totalMemoryBytes()).isPositive();
            assertThat(idle.report().coordinatorStartedAt().orElseThrow()).isBetween(before, Instant.now());

            // spoken by hand: trino-jdbc would prefetch all 200 rows and let the query finish at once
            JsonNode longQuery = awaitRunning(TrinoHttp.submit(trino.baseUri(), LONG_QUERY, "alice", null));
            awaitStatus(trino, statuses, "router-e2e-1", status -> status.report().runningQueries() == 1);

            setDesiredState(mysql, "router-e2e-1", "DRAINING");
            awaitState(trino, statuses, "router-e2e-1", SHUTTING_DOWN);
            assertRejected(trino);
            assertThat(statuses.get("router-e2e-1").orElseThrow().report().runningQueries()).isEqualTo(1);

            assertThat(readToEnd(longQuery)).isEqualTo(200);
            awaitState(trino, statuses, "router-e2e-1", DRAINED);
            assertRejected(trino);

            setDesiredState(mysql, "router-e2e-1", "ACTIVE");
            awaitState(trino, statuses, "router-e2e-1", ACTIVE);
            assertThat(count(trino, "SELECT count(*) FROM tpch.tiny.nation")).isEqualTo(25);
            assertThat(trino.serverLog())
                    .contains("Cluster router-e2e-1: ACTIVE -> SHUTTING_DOWN")
                    .contains("Cluster router-e2e-1: SHUTTING_DOWN -> DRAINED")
                    .contains("Cluster router-e2e-1: DRAINED -> ACTIVE");
        }
    }

    @Test
    void exitWhenDrainedEndsTheCoordinatorProcess()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.startWithSchema();
                TrinoServer trino = routerCluster("router-e2e-2", mysql, true).start()) {
            ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
            awaitState(trino, statuses, "router-e2e-2", ACTIVE);
            assertThat(count(trino, "SELECT count(*) FROM tpch.tiny.region")).isEqualTo(5);

            setDesiredState(mysql, "router-e2e-2", "DRAINING");
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (trino.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(trino.isRunning()).as("the coordinator process exited by itself").isFalse();
            assertThat(statuses.get("router-e2e-2").orElseThrow().report().state()).isEqualTo(DRAINED);
            assertThat(trino.serverLog()).contains("Exiting the coordinator process: cluster router-e2e-2 is drained");
        }
    }

    private static TrinoServer.Builder routerCluster(String name, TestingMysql mysql, boolean exitWhenDrained)
    {
        new ClusterDao(mysql.jdbi()).insert(new ClusterRecord(name, "http://127.0.0.1:1", "http://127.0.0.1:1", "adhoc", true, DesiredState.ACTIVE, 1, ClusterKind.TRINO));
        return memberCluster(name, mysql)
                .withEtcFile("switchboard-router.properties", """
                        access-control.name=switchboard-router
                        switchboard.cluster-name=%s
                        switchboard.mysql.url=%s
                        switchboard.mysql.user=%s
                        switchboard.heartbeat-interval=1s
                        switchboard.exit-when-drained=%s
                        switchboard.gateway-url=https://gateway.example.net
                        """.formatted(name, mysql.jdbcUrl(), mysql.connection().user(), exitWhenDrained));
    }

    /**
     * Follows the query until Trino says it is running, then stops reading: with 200 MB of
     * results and nobody fetching them, it stays running until {@link #readToEnd} is called.
     */
    private static JsonNode awaitRunning(HttpResponse<String> submitted)
    {
        JsonNode results = TrinoHttp.body(submitted);
        while (!results.path("stats").path("state").asText().equals("RUNNING")) {
            assertThat(results.has("nextUri")).as("query still has a next URI: %s", results).isTrue();
            assertThat(results.has("error")).as("query failed: %s", results).isFalse();
            results = TrinoHttp.body(TrinoHttp.get(URI.create(results.get("nextUri").asText()), "alice"));
        }
        return results;
    }

    private static int readToEnd(JsonNode results)
    {
        int rows = results.path("data").size();
        while (results.has("nextUri")) {
            results = TrinoHttp.body(TrinoHttp.get(URI.create(results.get("nextUri").asText()), "alice"));
            rows += results.path("data").size();
        }
        assertThat(results.path("stats").path("state").asText()).as("final state of %s", results.path("id")).isEqualTo("FINISHED");
        return rows;
    }

    private static void assertRejected(TrinoServer trino)
    {
        assertThatThrownBy(() -> count(trino, "SELECT count(*) FROM tpch.tiny.nation"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("is shutting down")
                .hasMessageContaining("Retry in a few minutes, or connect through the Switchboard gateway at https://gateway.example.net");
    }

    private static long count(TrinoServer trino, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "alice", null);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }

    private static void setDesiredState(TestingMysql mysql, String cluster, String state)
    {
        new ClusterDao(mysql.jdbi()).setDesiredState(cluster, DesiredState.valueOf(state));
    }

    private static ClusterStatus awaitState(TrinoServer trino, ClusterStatusDao statuses, String cluster, ClusterState state)
            throws InterruptedException
    {
        return awaitStatus(trino, statuses, cluster, status -> status.report().state() == state);
    }

    private static ClusterStatus awaitStatus(TrinoServer trino, ClusterStatusDao statuses, String cluster, Predicate<ClusterStatus> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Optional<ClusterStatus> status = Optional.empty();
        while (System.nanoTime() < deadline) {
            status = statuses.get(cluster);
            if (status.isPresent() && condition.test(status.get())) {
                return status.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("cluster_status of " + cluster + " did not reach the expected value within 60s; last: " + status + "\nserver log:\n" + trino.serverLog());
    }
}
