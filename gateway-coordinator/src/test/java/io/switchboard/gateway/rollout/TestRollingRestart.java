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
package io.switchboard.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.store.status.ClusterState;
import io.switchboard.testing.MemberClusters;
import io.switchboard.testing.QueryLoad;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import io.switchboard.testing.TrinoSupervisor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.switchboard.gateway.TrinoJdbc.singleValue;
import static io.switchboard.testing.Eventually.awaitTrue;
import static io.switchboard.testing.RollingRestarts.assertEveryClusterRestarted;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * A rolling restart of a group of two real Trino 476 clusters (tarball, both plugins, exit when
 * drained) through the real gateway, while JDBC clients keep running queries through it. The test
 * plays the supervisor: it starts a coordinator again whenever its process has exited.
 */
@TestInstance(PER_CLASS)
final class TestRollingRestart
{
    private static final String LONG_QUERY = "SELECT count(*) FROM tpch.sf1.lineitem";
    private static final String SHORT_QUERY = "SELECT count(*) FROM tpch.tiny.nation";

    private static final Map<String, String> GATEWAY_PROPERTIES = Map.of(
            "routing.default-group", "etl",
            "health.check-interval", "1s",
            "health.timeout", "1s",
            "rollout.poll-interval", "200ms",
            "rollout.lease-timeout", "3s");

    private TestingMysql mysql;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        gateway = new TestingGateway(mysql, GATEWAY_PROPERTIES);
    }

    @AfterAll
    void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = MINUTES)
    void restartsBothClustersOneAfterTheOtherWithoutAFailedQuery()
            throws Exception
    {
        List<TrinoServer> servers = List.of(memberCluster("etl-1").build(), memberCluster("etl-2").build());
        List<TrinoSupervisor> supervisors = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(5);
        try {
            servers.forEach(server -> gateway.addCluster(server, "etl"));
            startAll(servers);
            ClusterStatuses statuses = gateway.instance(ClusterStatuses.class);
            awaitTrue(() -> servers.stream().allMatch(server -> isServing(server.name())), Duration.ofMinutes(2));
            Map<String, Instant> startedBefore = Map.of("etl-1", started(statuses, "etl-1"), "etl-2", started(statuses, "etl-2"));
            servers.forEach(server -> supervisors.add(TrinoSupervisor.supervise(server)));

            QueryLoad load = new QueryLoad(gateway.jdbcUrl(), "rollout-user");
            AtomicInteger transactionsCommitted = new AtomicInteger();
            clients.submit(() -> load.run(LONG_QUERY, 6_001_215));
            clients.submit(() -> load.run(LONG_QUERY, 6_001_215));
            clients.submit(() -> load.run(SHORT_QUERY, 25));
            clients.submit(() -> runTransactions(load, transactionsCommitted));
            clients.submit(() -> runTransactions(load, transactionsCommitted));
            awaitTrue(() -> load.succeeded() >= 4 && transactionsCommitted.get() >= 2, Duration.ofMinutes(2));

            // another gateway replica starts the rollout and stops in the middle of it: the clients'
            // replica shows its progress all along, refuses a second one, and resumes it
            long startNanos = System.nanoTime();
            String firstOwner;
            try (TestingGateway starter = new TestingGateway(mysql, GATEWAY_PROPERTIES)) {
                HttpResponse<String> started = starter.send("POST", "/api/v1/routing-groups/etl/rolling-restart", "{\"drainTimeout\": \"5m\", \"restartTimeout\": \"5m\"}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
                assertThat(TestingGateway.json(started.body()).path("state").asText()).isEqualTo("RUNNING");
                firstOwner = TestingGateway.json(started.body()).path("runBy").asText();
                HttpResponse<String> again = gateway.send("POST", "/api/v1/routing-groups/etl/rolling-restart", null);
                assertThat(again.statusCode()).isEqualTo(409);
                assertThat(again.body()).contains("already running").contains(firstOwner);

                awaitTrue(() -> List.of("DRAINING", "RESTARTING").contains(rollout().path("clusters").path(0).path("step").asText()), Duration.ofMinutes(3));
                assertThat(rollout().path("runBy").asText()).isEqualTo(firstOwner);
            }
            JsonNode resumed = awaitRollout(rollout -> !rollout.path("runBy").asText().isEmpty() && !rollout.path("runBy").asText().equals(firstOwner), Duration.ofSeconds(30));
            System.out.printf("Rolling restart resumed by %s at %s%n", resumed.path("runBy").asText(), resumed.path("clusters").findValuesAsText("step"));

            JsonNode finished = awaitRollout(rollout -> !rollout.path("state").asText().equals("RUNNING"), Duration.ofMinutes(10));
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            load.stop();
            clients.shutdown();
            assertThat(clients.awaitTermination(3, MINUTES)).as("clients finished their last queries").isTrue();

            System.out.printf("Rolling restart of 2 clusters took %ss; %s queries succeeded through the gateway (%s long), %s transactions committed, %s failed%n",
                    took.toSeconds(), load.succeeded(), load.succeeded(LONG_QUERY), transactionsCommitted.get(), load.failures().size());
            assertThat(load.failures()).isEmpty();
            assertEveryClusterRestarted(finished);
            for (TrinoServer server : servers) {
                assertThat(started(statuses, server.name())).isAfter(startedBefore.get(server.name()));
                assertThat(statuses.status(server.name()).orElseThrow().report().state()).isEqualTo(ClusterState.ACTIVE);
                assertThat(server.serverLog()).contains("Exiting the coordinator process: cluster " + server.name() + " is drained");
            }
            assertThat(load.succeeded(LONG_QUERY)).isPositive();
            // transactions were open through both drains: each kept its cluster until it committed
            assertThat(transactionsCommitted.get()).isGreaterThan(10);
            assertAudited();
        }
        finally {
            supervisors.forEach(TrinoSupervisor::close);
            clients.shutdownNow();
            servers.forEach(TrinoServer::close);
        }
    }

    @Test
    void refusesGroupsThatCannotBeRestartedSafely()
    {
        gateway.send("POST", "/api/v1/clusters", "{\"name\": \"solo-1\", \"proxyUrl\": \"http://127.0.0.1:1\", \"routingGroup\": \"solo\"}");

        HttpResponse<String> single = gateway.send("POST", "/api/v1/routing-groups/solo/rolling-restart", null);
        assertThat(single.statusCode()).isEqualTo(409);
        assertThat(single.body()).contains("only 1 cluster accepting new queries (solo-1)").contains("force=true");

        HttpResponse<String> forced = gateway.send("POST", "/api/v1/routing-groups/solo/rolling-restart?force=true", null);
        assertThat(forced.statusCode()).isEqualTo(409);
        assertThat(forced.body()).contains("No router plugin report from solo-1");

        HttpResponse<String> badOption = gateway.send("POST", "/api/v1/routing-groups/solo/rolling-restart", "{\"drainTimeout\": \"soon\"}");
        assertThat(badOption.statusCode()).isEqualTo(400);
        assertThat(gateway.send("POST", "/api/v1/routing-groups/nowhere/rolling-restart", null).statusCode()).isEqualTo(404);
        assertThat(gateway.send("GET", "/api/v1/routing-groups/solo/rolling-restart", null).statusCode()).isEqualTo(404);
    }

    private void assertAudited()
    {
        JsonNode audit = TestingGateway.json(gateway.send("GET", "/api/v1/audit?target=etl", null).body());
        assertThat(audit.toString()).contains("ROLLING_RESTART_START").contains("ROLLING_RESTART_RESUME").contains("ROLLING_RESTART_END");
        JsonNode steps = TestingGateway.json(gateway.send("GET", "/api/v1/audit?target=etl-1", null).body());
        assertThat(steps.toString()).contains("ROLLING_RESTART_STEP").contains("DRAIN_CLUSTER").contains("UNDRAIN_CLUSTER");
    }

    private TrinoServer.Builder memberCluster(String name)
    {
        return MemberClusters.memberCluster(name, mysql, """
                switchboard.heartbeat-interval=1s
                switchboard.exit-when-drained=true
                """);
    }

    private static void startAll(List<TrinoServer> servers)
            throws Exception
    {
        ExecutorService starters = Executors.newFixedThreadPool(servers.size());
        try {
            for (Future<Void> future : starters.invokeAll(servers.stream().<Callable<Void>>map(server -> () -> {
                server.start();
                return null;
            }).toList(), 5, MINUTES)) {
                future.get();
            }
        }
        finally {
            starters.shutdownNow();
        }
    }

    private boolean isServing(String cluster)
    {
        JsonNode info = TestingGateway.json(gateway.send("GET", "/api/v1/clusters/" + cluster, null).body());
        return info.path("health").path("state").asText().equals("HEALTHY") &&
                gateway.instance(ClusterStatuses.class).status(cluster).map(status -> status.report().state() == ClusterState.ACTIVE).orElse(false);
    }

    private static Instant started(ClusterStatuses statuses, String cluster)
    {
        return statuses.status(cluster).orElseThrow().report().coordinatorStartedAt().orElseThrow();
    }

    private JsonNode rollout()
    {
        return TestingGateway.json(gateway.send("GET", "/api/v1/routing-groups/etl/rolling-restart", null).body());
    }

    private JsonNode awaitRollout(Predicate<JsonNode> condition, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProgress = "";
        JsonNode rollout = null;
        while (System.nanoTime() < deadline) {
            rollout = rollout();
            String progress = rollout.path("runBy").asText() + " " + rollout.path("currentCluster").asText() + " " + rollout.path("clusters").findValuesAsText("step");
            if (!progress.equals(lastProgress)) {
                System.out.printf("%ss: %s %s%n", rollout.path("elapsedSeconds").asLong(), rollout.path("state").asText(), progress);
                lastProgress = progress;
            }
            if (condition.test(rollout)) {
                return rollout;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The rolling restart did not reach the expected state within " + timeout + ": " + rollout);
    }

    /**
     * Transactions of three statements and a commit, a second apart, as a BI tool with manual
     * commit runs them: at any moment one of them is open on some cluster.
     */
    private static Void runTransactions(QueryLoad load, AtomicInteger committed)
    {
        while (load.isRunning()) {
            try (Connection connection = load.connect();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                assertThat(singleValue(statement, "SELECT 1")).isEqualTo("1");
                Thread.sleep(1000);
                assertThat(singleValue(statement, SHORT_QUERY)).isEqualTo("25");
                Thread.sleep(1000);
                assertThat(singleValue(statement, "SELECT 2")).isEqualTo("2");
                connection.commit();
                committed.incrementAndGet();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            catch (SQLException | RuntimeException | AssertionError e) {
                load.failed("transaction", e);
            }
        }
        return null;
    }
}
