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
package io.switchboard.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.docker.ContainerFleet.ApiResponse;
import io.switchboard.testing.QueryLoad;
import io.switchboard.testing.TrinoCli;
import io.trino.jdbc.TrinoStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.switchboard.docker.ContainerFleet.CLUSTERS;
import static io.switchboard.docker.ContainerFleet.GROUP;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.Eventually.awaitTrue;
import static io.switchboard.testing.RollingRestarts.assertEveryClusterRestarted;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The packaged form: the images of docker/ run as the compose file runs them (one fleet for the
 * class, Trino's start being the slow part), used only through published ports as users would.
 */
@TestInstance(PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestContainerFleet
{
    private static final String NODE_QUERY = "SELECT node_id FROM system.runtime.nodes";
    private static final List<String> UNFINISHED = List.of("QUEUED", "RUNNING");
    private static final String ENDLESS_QUERY = "SELECT count(*) FROM tpch.sf1000.lineitem CROSS JOIN tpch.sf1000.orders";

    private ContainerFleet fleet;

    @BeforeAll
    void start()
    {
        long started = System.nanoTime();
        fleet = ContainerFleet.start();
        System.out.printf("Images built and fleet started in %s s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    @AfterAll
    void stop()
    {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void runsQueriesOnBothClustersThroughTheGateway()
            throws Exception
    {
        // the gateway routes round-robin here; each coordinator's node id is its cluster's name
        Set<String> cliClusters = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            String output = TrinoCli.execute(fleet.gatewayUri(), "cli-user", List.of("--source", "docker-test-cli"), NODE_QUERY);
            cliClusters.add(output.strip().replace("\"", ""));
        }
        assertThat(cliClusters).containsExactlyInAnyOrderElementsOf(CLUSTERS);

        Set<String> jdbcClusters = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            try (Connection connection = DriverManager.getConnection(fleet.gatewayJdbcUrl(), jdbcProperties("docker-test-jdbc"));
                    Statement statement = connection.createStatement();
                    ResultSet nodes = statement.executeQuery(NODE_QUERY)) {
                // read to the end: a result set closed before it would cancel the query (USER_CANCELED)
                while (nodes.next()) {
                    jdbcClusters.add(nodes.getString(1));
                }
            }
        }
        assertThat(jdbcClusters).containsExactlyInAnyOrderElementsOf(CLUSTERS);
    }

    @Test
    @Order(2)
    void pluginsWriteTheHistoryIntoTheDatabaseContainer()
    {
        // the event listeners write asynchronously, batched
        assertEventually(Duration.ofSeconds(30), () -> {
            Map<String, Integer> finished = new HashMap<>();
            try (Connection connection = fleet.database();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("""
                            SELECT q.cluster_name, count(*)
                            FROM queries q JOIN query_routes r ON r.query_id = q.query_id AND r.cluster_name = q.cluster_name
                            WHERE q.source IN ('docker-test-cli', 'docker-test-jdbc') AND q.state = 'FINISHED' AND q.output_rows = 1
                            GROUP BY q.cluster_name
                            """)) {
                while (rows.next()) {
                    finished.put(rows.getString(1), rows.getInt(2));
                }
            }
            catch (SQLException e) {
                throw new AssertionError(e);
            }
            assertThat(finished).isEqualTo(Map.of("adhoc-1", 4, "adhoc-2", 4));
        });
        JsonNode clusters = fleet.get("/api/v1/clusters");
        for (JsonNode cluster : clusters) {
            // the router plugins' heartbeats, read by the gateway from the database
            assertThat(cluster.path("coordinator").path("drainState").asText()).as(cluster.toString()).isEqualTo("ACTIVE");
            assertThat(cluster.path("coordinator").path("trinoVersion").asText()).as(cluster.toString()).isEqualTo("476");
        }
    }

    @Test
    @Order(3)
    void imagesRunAsNonRootWithoutBuildTools()
            throws Exception
    {
        for (GenericContainer<?> container : List.of(fleet.gateway(), fleet.cluster("adhoc-1"))) {
            ExecResult scan = container.execInContainer("sh", "-c", """
                    id -u
                    for tool in javac jar jlink jshell mvn gradle gcc cc make git; do command -v $tool; done
                    find / -xdev \\( -name '*.pom' -o -name .m2 -o -name 'maven-metadata*.xml' \\) -print 2>/dev/null
                    """);
            assertThat(scan.getStdout().lines().toList()).as(container.getDockerImageName()).containsExactly("10001");
        }
    }

    @Test
    @Order(4)
    @Timeout(value = 10, unit = MINUTES)
    void rollingRestartReplacesBothCoordinatorsWithoutAFailedQuery()
            throws Exception
    {
        QueryLoad load = new QueryLoad(fleet.gatewayJdbcUrl(), "load-user");
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            clients.submit(() -> load.run("SELECT count(*) FROM tpch.tiny.orders", 15_000));
            clients.submit(() -> load.run("SELECT count(*) FROM tpch.tiny.orders", 15_000));
            clients.submit(() -> load.run("SELECT count(*) FROM tpch.tiny.lineitem", 60_175));
            awaitTrue(() -> load.succeeded() >= 5, Duration.ofMinutes(1));

            long startNanos = System.nanoTime();
            ApiResponse started = fleet.post("/api/v1/routing-groups/" + GROUP + "/rolling-restart", "{\"drainTimeout\": \"3m\", \"restartTimeout\": \"4m\"}");
            assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
            JsonNode finished = awaitRollout(Duration.ofMinutes(8));
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            // queries go on after the second restart too
            int succeededAtEnd = load.succeeded();
            awaitTrue(() -> load.succeeded() >= succeededAtEnd + 3, Duration.ofMinutes(1));
            load.stop();
            clients.shutdown();
            assertThat(clients.awaitTermination(2, MINUTES)).as("clients finished their last queries").isTrue();

            System.out.printf("Rolling restart of 2 containers took %s s; %s queries succeeded through the gateway, %s failed%n",
                    took.toSeconds(), load.succeeded(), load.failures().size());
            assertThat(load.failures()).isEmpty();
            assertEveryClusterRestarted(finished);
            for (String cluster : CLUSTERS) {
                String log = fleet.cluster(cluster).getLogs();
                log.lines().filter(line -> line.contains("Exiting the coordinator process") || line.contains("SERVER STARTED")).forEach(System.out::println);
                // the coordinator exited once drained, and the engine's restart policy started it again
                assertThat(fleet.restartCount(cluster)).as("restarts of " + cluster).isEqualTo(1);
                assertThat(log).contains("Exiting the coordinator process: cluster " + cluster + " is drained");
            }
        }
        finally {
            load.stop();
            clients.shutdownNow();
        }
    }

    @Test
    @Order(5)
    @Timeout(value = 6, unit = MINUTES)
    void queriesRunningWhenACoordinatorContainerIsKilledAreMarkedLostWhenItComesBack()
            throws Exception
    {
        // round-robin: one of the two endless queries runs on each cluster
        Map<String, Statement> running = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                clients.submit(() -> {
                    try (Connection connection = DriverManager.getConnection(fleet.gatewayJdbcUrl(), jdbcProperties("docker-test-crash"));
                            Statement statement = connection.createStatement()) {
                        statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> running.putIfAbsent(stats.getQueryId(), statement));
                        try (ResultSet resultSet = statement.executeQuery(ENDLESS_QUERY)) {
                            while (resultSet.next()) {
                                // the crash or the cancel ends it
                            }
                        }
                    }
                    return null;
                });
            }
            // recorded by the event listeners as not completed
            awaitTrue(() -> running.size() == 2 && running.keySet().stream().allMatch(id -> UNFINISHED.contains(historyState(id))), Duration.ofMinutes(1));
            String crashed = running.keySet().stream()
                    .filter(id -> fleet.get("/api/v1/queries/" + id).path("clusterName").asText().equals("adhoc-1"))
                    .findFirst().orElseThrow();

            fleet.crashAndRestart("adhoc-1");

            awaitTrue(() -> historyState(crashed).equals("LOST"), Duration.ofMinutes(4));
            JsonNode details = fleet.get("/api/v1/queries/" + crashed);
            assertThat(details.at("/error/message").asText()).contains("Cluster adhoc-1 restarted at");
            // the other cluster's query is untouched
            running.keySet().stream().filter(id -> !id.equals(crashed)).forEach(id -> assertThat(historyState(id)).isIn(UNFINISHED));
            awaitTrue(() -> fleet.isServing("adhoc-1"), Duration.ofMinutes(2));
        }
        finally {
            for (Statement statement : running.values()) {
                try {
                    statement.cancel();
                }
                catch (SQLException e) {
                    // closed already: its query failed with the crash
                }
            }
            clients.shutdownNow();
        }
    }

    private String historyState(String queryId)
    {
        return fleet.get("/api/v1/queries/" + queryId).path("state").asText("");
    }

    private JsonNode awaitRollout(Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProgress = "";
        JsonNode rollout = null;
        while (System.nanoTime() < deadline) {
            rollout = fleet.get("/api/v1/routing-groups/" + GROUP + "/rolling-restart");
            String progress = rollout.path("state").asText() + " " + rollout.path("clusters").findValuesAsText("step");
            if (!progress.equals(lastProgress)) {
                System.out.printf("%ss: %s%n", rollout.path("elapsedSeconds").asLong(), progress);
                lastProgress = progress;
            }
            if (!rollout.path("state").asText().equals("RUNNING")) {
                return rollout;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The rolling restart did not end within " + timeout + ": " + rollout);
    }

    private static Properties jdbcProperties(String source)
    {
        Properties properties = new Properties();
        properties.setProperty("user", "jdbc-user");
        properties.setProperty("source", source);
        return properties;
    }
}
