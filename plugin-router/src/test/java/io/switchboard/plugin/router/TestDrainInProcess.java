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
package io.switchboard.plugin.router;

import com.zaxxer.hikari.HikariDataSource;
import io.airlift.bootstrap.LifeCycleManager;
import io.airlift.log.Logger;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatus;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.store.status.QueryCounts;
import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.plugin.router.TestingRouters.startRouter;
import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static io.switchboard.store.status.ClusterState.SHUTTING_DOWN;
import static io.trino.spi.StandardErrorCode.SERVER_SHUTTING_DOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The drain on a real in-process Trino coordinator, with the heartbeat reading that coordinator's
 * own JMX beans and a real MariaDB behind a TCP proxy the test can cut.
 */
@TestInstance(PER_CLASS)
final class TestDrainInProcess
{
    private static final Logger log = Logger.get(TestDrainInProcess.class);
    private static final String CLUSTER = "inprocess-1";
    private static final Duration INTERVAL = Duration.ofMillis(500);
    // 200 rows of 1 MB, far more than Trino buffers: the query keeps running until the client reads them all
    private static final String LONG_QUERY = "SELECT x, lpad('x', 1000000, 'x') FROM UNNEST(sequence(1, 200)) AS t(x)";
    private static final String SERVER_LONG_QUERY = "SELECT count(*) FROM tpch.sf10.lineitem CROSS JOIN tpch.tiny.nation";
    // TPC-H scale factor 10 has 59,986,052 lineitem rows, nation 25
    private static final long SERVER_LONG_QUERY_COUNT = 59_986_052L * 25;
    private static final Pattern NEXT_URI = Pattern.compile("\"nextUri\"\\s*:\\s*\"([^\"]+)\"");

    private TestingMysql mysql;
    private TcpProxy proxy;
    private DistributedQueryRunner trino;
    private LifeCycleManager router;
    private RouterStats routerStats;
    private ClusterStatusDao statuses;
    private Path drainFile;
    private Instant startedBefore;

    @BeforeAll
    void setUp()
            throws Exception
    {
        startedBefore = Instant.now().minusSeconds(1);
        mysql = TestingMysql.startWithSchema();
        statuses = new ClusterStatusDao(mysql.jdbi());
        execute("INSERT INTO clusters (name, proxy_url, external_url, routing_group) VALUES ('" + CLUSTER + "', 'http://127.0.0.1:1', 'http://127.0.0.1:1', 'adhoc')");
        proxy = new TcpProxy(mysql.port());
        drainFile = Files.createTempDirectory("switchboard-drain-").resolve("drain");
        RouterConfig config = new RouterConfig().setGatewayUrl("https://gateway.example.net");
        DrainStateMachine stateMachine = new DrainStateMachine(config);
        RunningQueries runningQueries = new RunningQueries();
        routerStats = new RouterStats(stateMachine, runningQueries);
        // a real server registers the access control's event listeners itself (AccessControlManager.loadSystemAccessControl,
        // which TestAdmissionAcrossReplicas goes through); the in-process one installs access controls without that step
        DrainAccessControl accessControl = new DrainAccessControl(new DrainGate(CLUSTER, config.getGatewayUrl(), stateMachine, routerStats), runningQueries, () -> {});
        trino = InProcessTrino.builder()
                .withSystemAccessControl(accessControl)
                .withEventListener(accessControl.getEventListeners().iterator().next())
                .start();
        Map<String, String> properties = Map.of(
                "switchboard.cluster-name", CLUSTER,
                "switchboard.mysql.url", "jdbc:mysql://127.0.0.1:" + proxy.port() + "/switchboard",
                "switchboard.heartbeat-interval", INTERVAL.toMillis() + "ms",
                "switchboard.drain-file", drainFile.toString());
        router = startRouter(properties, stateMachine, new CoordinatorMetrics(trino.getCoordinator().getMbeanServer(), CoordinatorBeans.trino(queryString("SELECT node_version FROM system.runtime.nodes"))), runningQueries);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        try (TestingMysql database = mysql; TcpProxy tcpProxy = proxy; DistributedQueryRunner runner = trino) {
            if (router != null) {
                router.stop();
            }
            if (drainFile != null) {
                Files.deleteIfExists(drainFile);
                Files.deleteIfExists(drainFile.getParent());
            }
        }
    }

    @BeforeEach
    void activate()
            throws Exception
    {
        proxy.restore();
        Files.deleteIfExists(drainFile);
        setDesiredState("ACTIVE");
        awaitState(ACTIVE);
    }

    @Test
    void heartbeatReportsTheCoordinatorsRealLoad()
            throws Exception
    {
        ClusterStatus idle = awaitStatus(status -> status.report().state() == ACTIVE);
        assertThat(idle.report().activeWorkers()).isEqualTo(1);
        assertThat(idle.report().totalMemoryBytes()).isPositive();
        assertThat(idle.report().coordinatorNodeId()).contains(queryString("SELECT node_id FROM system.runtime.nodes WHERE coordinator"));
        assertThat(idle.report().trinoVersion()).contains(queryString("SELECT node_version FROM system.runtime.nodes"));
        assertThat(idle.report().coordinatorStartedAt().orElseThrow()).isBetween(startedBefore, Instant.now());
        assertThat(idle.heartbeatAt()).isAfter(Instant.now().minusSeconds(10));

        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet longQuery = statement.executeQuery(LONG_QUERY)) {
            assertThat(longQuery.next()).isTrue();
            ClusterStatus busy = awaitStatus(status -> status.report().runningQueries() >= 1);
            assertThat(busy.report().runningQueries()).isEqualTo(1);
            assertThat(busy.report().queuedQueries()).isZero();
        }
        awaitStatus(status -> status.report().runningQueries() == 0);
    }

    @Test
    void heartbeatReportsRunningQueriesPerUserAndSource()
            throws Exception
    {
        awaitStatus(status -> status.report().queryCounts().map(counts -> counts.byUser().isEmpty()).orElse(false));
        // started over the statement protocol and then left alone: each runs until its result
        // buffer is full and stays there, unfinished, until cancelled
        List<URI> queries = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            try {
                queries.add(startQuery(http, "alice", "nightly"));
                queries.add(startQuery(http, "alice", "nightly"));
                queries.add(startQuery(http, "bob", "notebook"));
                queries.add(startQuery(http, "carol", null));
                ClusterStatus busy = awaitStatus(status -> status.report().runningQueries() + status.report().queuedQueries() == 4 &&
                        status.report().queryCounts().map(counts -> counts.byUser().size() == 3).orElse(false));
                QueryCounts counts = busy.report().queryCounts().orElseThrow();
                assertThat(counts.byUser()).isEqualTo(Map.of("alice", 2, "bob", 1, "carol", 1));
                assertThat(counts.bySource()).isEqualTo(Map.of("nightly", 2, "notebook", 1));
            }
            finally {
                for (URI query : queries) {
                    http.send(HttpRequest.newBuilder(query).DELETE().build(), BodyHandlers.discarding());
                }
            }
        }
        // completed queries leave the counts
        ClusterStatus idle = awaitStatus(status -> status.report().queryCounts().map(counts -> counts.byUser().isEmpty()).orElse(false));
        assertThat(idle.report().queryCounts().orElseThrow().bySource()).isEmpty();
    }

    /**
     * Submits {@link #LONG_QUERY} and follows its first {@code nextUri} (Trino creates the query then), no further.
     *
     * @return the query's next URI, whose DELETE cancels it
     */
    private URI startQuery(HttpClient http, String user, String source)
            throws Exception
    {
        HttpRequest.Builder submit = HttpRequest.newBuilder(trino.getCoordinator().getBaseUrl().resolve("/v1/statement"))
                .header("X-Trino-User", user)
                .POST(BodyPublishers.ofString(LONG_QUERY));
        if (source != null) {
            submit.header("X-Trino-Source", source);
        }
        URI next = nextUri(http.send(submit.build(), BodyHandlers.ofString()).body());
        return nextUri(http.send(HttpRequest.newBuilder(next).GET().build(), BodyHandlers.ofString()).body());
    }

    private static URI nextUri(String response)
    {
        Matcher matcher = NEXT_URI.matcher(response);
        assertThat(matcher.find()).as("nextUri in %s", response).isTrue();
        return URI.create(matcher.group(1));
    }

    @Test
    void drainRejectsNewQueriesLetsRunningOnesFinishAndActivateBringsItBack()
            throws Exception
    {
        // a query that runs on the server for a while (a client-paced one does not: trino-jdbc
        // fetches small results ahead, so the server may finish it while the client pauses)
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Long> longQuery = client.submit(() -> {
                try (Connection connection = connect();
                        Statement statement = connection.createStatement();
                        ResultSet resultSet = statement.executeQuery(SERVER_LONG_QUERY)) {
                    assertThat(resultSet.next()).isTrue();
                    return resultSet.getLong(1);
                }
            });
            awaitStatus(status -> status.report().runningQueries() == 1);

            long requested = System.nanoTime();
            setDesiredState("DRAINING");
            awaitState(SHUTTING_DOWN);
            long toShuttingDown = System.nanoTime() - requested;
            log.info("Measured: drain request to SHUTTING_DOWN in cluster_status took %s ms (heartbeat interval %s ms)", toShuttingDown / 1_000_000, INTERVAL.toMillis());
            assertThat(Duration.ofNanos(toShuttingDown)).isLessThan(INTERVAL.multipliedBy(2).plusSeconds(2));

            assertRejected();
            // the running query keeps the cluster from DRAINED for as long as it runs
            Thread.sleep(INTERVAL.multipliedBy(3));
            assertThat(statuses.get(CLUSTER).orElseThrow().report().state()).isEqualTo(SHUTTING_DOWN);

            // the running query finishes normally
            assertThat(longQuery.get(10, TimeUnit.MINUTES)).isEqualTo(SERVER_LONG_QUERY_COUNT);
        }
        finally {
            client.shutdownNow();
        }
        ClusterStatus drained = awaitState(DRAINED);
        assertThat(drained.report().runningQueries()).isZero();
        assertThat(drained.report().queuedQueries()).isZero();
        assertRejected();

        setDesiredState("ACTIVE");
        awaitState(ACTIVE);
        assertThat(queryString("SELECT CAST(count(*) AS varchar) FROM tpch.tiny.nation")).isEqualTo("25");
    }

    @Test
    void mysqlOutageKeepsTheLastKnownStateAndTheClusterServing()
            throws Exception
    {
        proxy.cut();
        awaitHeartbeats(3);
        assertThat(queryString("SELECT CAST(count(*) AS varchar) FROM tpch.tiny.region")).isEqualTo("5");

        proxy.restore();
        setDesiredState("DRAINING");
        awaitState(DRAINED);
        proxy.cut();
        // the database says ACTIVE, but the plugin cannot see it: the last known state stands
        setDesiredState("ACTIVE");
        awaitHeartbeats(3);
        assertRejected();

        proxy.restore();
        awaitState(ACTIVE);
        assertThat(queryString("SELECT CAST(count(*) AS varchar) FROM tpch.tiny.region")).isEqualTo("5");
    }

    @Test
    void drainFileDrainsWithoutMysql()
            throws Exception
    {
        proxy.cut();
        Files.createFile(drainFile);
        awaitRejected();
        Files.delete(drainFile);
        awaitAccepted();
    }

    private void assertRejected()
    {
        long refused = routerStats.getRefusedQueries();
        assertThatThrownBy(() -> queryString("SELECT 'new query'"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(SERVER_SHUTTING_DOWN.toErrorCode().getCode()))
                .hasMessageContaining("Cluster " + CLUSTER + " is shutting down")
                .hasMessageContaining("Retry in a few minutes, or connect through the Switchboard gateway at https://gateway.example.net");
        assertThat(routerStats.getRefusedQueries()).as("refused queries over JMX").isEqualTo(refused + 1);
        assertThat(routerStats.getDraining()).isEqualTo(1);
    }

    private void awaitRejected()
            throws InterruptedException
    {
        await(() -> !accepts(), "queries to be rejected");
        assertRejected();
    }

    private void awaitAccepted()
            throws InterruptedException
    {
        await(this::accepts, "queries to be accepted");
    }

    private boolean accepts()
    {
        try {
            return queryString("SELECT 'accepted'").equals("accepted");
        }
        catch (SQLException e) {
            return false;
        }
    }

    private ClusterStatus awaitState(ClusterState state)
            throws InterruptedException
    {
        return awaitStatus(status -> status.report().state() == state);
    }

    private ClusterStatus awaitStatus(Predicate<ClusterStatus> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<ClusterStatus> status = Optional.empty();
        while (System.nanoTime() < deadline) {
            status = statuses.get(CLUSTER);
            if (status.isPresent() && condition.test(status.get())) {
                return status.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("cluster_status did not reach the expected value within 30s; last: " + status);
    }

    private void awaitHeartbeats(int count)
            throws InterruptedException
    {
        Thread.sleep(INTERVAL.multipliedBy(count));
    }

    private static void await(BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private void setDesiredState(String state)
            throws SQLException
    {
        execute("UPDATE clusters SET desired_state = '" + state + "' WHERE name = '" + CLUSTER + "'");
    }

    private void execute(String sql)
            throws SQLException
    {
        HikariDataSource dataSource = mysql.dataSource();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String queryString(String sql)
            throws SQLException
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1);
        }
    }

    private Connection connect()
            throws SQLException
    {
        return DriverManager.getConnection("jdbc:trino://" + trino.getCoordinator().getAddress(), "alice", null);
    }
}
