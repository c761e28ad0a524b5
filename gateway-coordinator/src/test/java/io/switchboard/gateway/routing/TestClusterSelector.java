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
package io.switchboard.gateway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterConfig;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.database.DatabaseConfig;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.gateway.health.HealthConfig;
import io.switchboard.gateway.health.HealthHistoryWriter;
import io.switchboard.gateway.notify.NotificationLease;
import io.switchboard.gateway.notify.Notifier;
import io.switchboard.gateway.notify.NotifyConfig;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.gateway.routing.RoutingConfig.SelectionPolicy;
import io.switchboard.store.cluster.ClusterDao;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.ClusterRecord;
import io.switchboard.store.cluster.DesiredState;
import io.switchboard.store.health.ClusterHealthDao;
import io.switchboard.store.health.HealthState;
import io.switchboard.store.lease.LeaseDao;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatus;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.store.status.StatusReport;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static io.switchboard.gateway.routing.RoutingConfig.SelectionPolicy.LEAST_LOADED;
import static io.switchboard.gateway.routing.RoutingConfig.SelectionPolicy.ROUND_ROBIN;
import static io.switchboard.gateway.routing.RoutingConfig.SelectionPolicy.WEIGHTED;
import static io.switchboard.store.cluster.DesiredState.ACTIVE;
import static io.switchboard.store.cluster.DesiredState.DRAINING;
import static io.switchboard.store.health.HealthState.HEALTHY;
import static io.switchboard.store.health.HealthState.PENDING;
import static io.switchboard.store.health.HealthState.UNHEALTHY;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Which cluster of a routing group a new query goes to, under each selection policy. The selector
 * reads what the gateway knows in production: the clusters table, the router plugins' heartbeats
 * in cluster_status (both in a real MariaDB) and the health of each cluster as the gateway's own
 * health checks found it. A healthy cluster is an HTTP server answering /v1/info as an idle
 * coordinator does; an unreachable one a closed port; one not checked yet a port that accepts
 * connections and never answers (probes time out after 10 minutes, far beyond this test).
 */
@TestInstance(PER_CLASS)
final class TestClusterSelector
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] IDLE_COORDINATOR_INFO = "{\"nodeVersion\":{\"version\":\"476\"},\"coordinator\":true,\"starting\":false,\"uptime\":\"1.00m\"}".getBytes(UTF_8);

    private TestingMysql mysql;
    private GatewayDatabase database;
    private ClusterRegistry registry;
    private ClusterStatuses statuses;
    private ClusterStatusDao statusDao;
    private ClusterHealthMonitor health;
    private HttpServer coordinators;
    private ServerSocket silent;
    private String unreachableUrl;
    private final AtomicLong groups = new AtomicLong();

    @BeforeAll
    void start()
            throws IOException
    {
        mysql = TestingMysql.startWithSchema();
        database = new GatewayDatabase(new DatabaseConfig().setUrl(mysql.jdbcUrl()).setUser(mysql.connection().user()));
        ClusterConfig clusterConfig = new ClusterConfig().setRefreshInterval(io.airlift.units.Duration.valueOf("100ms"));
        registry = new ClusterRegistry(database, new ClusterDao(mysql.jdbi()), clusterConfig);
        statuses = new ClusterStatuses(database, new ClusterStatusDao(mysql.jdbi()), clusterConfig);
        statuses.start();
        statusDao = new ClusterStatusDao(mysql.jdbi());

        coordinators = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        coordinators.createContext("/", TestClusterSelector::answerInfo);
        coordinators.start();
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unreachableUrl = "http://127.0.0.1:" + closed.getLocalPort();
        }

        GatewayReplica replica = new GatewayReplica("test-selector");
        NotifyConfig notifyConfig = new NotifyConfig();
        ObjectMapper mapper = new ObjectMapper();
        Notifier notifier = new Notifier(notifyConfig, replica, mapper, new NotificationLease(database, new LeaseDao(mysql.jdbi()), notifyConfig, replica));
        // each cluster is probed once when it appears (within 500 ms), and not again during the test
        HealthConfig healthConfig = new HealthConfig()
                .setCheckInterval(io.airlift.units.Duration.valueOf("1h"))
                .setTimeout(io.airlift.units.Duration.valueOf("10m"));
        health = new ClusterHealthMonitor(healthConfig, clusterConfig, replica, registry, new HealthHistoryWriter(database, new ClusterHealthDao(mysql.jdbi())), notifier, mapper);
        health.start();
    }

    @AfterAll
    void stop()
    {
        closeAll(
                health == null ? null : health::stop,
                statuses == null ? null : statuses::stop,
                registry == null ? null : registry::stop,
                coordinators == null ? null : () -> coordinators.stop(0),
                silent,
                database == null ? null : database::close,
                mysql);
    }

    private static void answerInfo(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().endsWith("/v1/info")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, IDLE_COORDINATOR_INFO.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(IDLE_COORDINATOR_INFO);
            }
        }
    }

    @Test
    void roundRobinTakesTheClustersInTurn()
    {
        String group = newGroup();
        List<String> clusters = healthy(group, "a", "b", "c");
        ClusterSelector selector = selector(ROUND_ROBIN);

        List<String> picks = picks(selector, group, 300);
        assertThat(counts(picks)).containsExactlyInAnyOrderEntriesOf(Map.of(clusters.get(0), 100L, clusters.get(1), 100L, clusters.get(2), 100L));
        for (int i = 0; i + 3 <= picks.size(); i++) {
            assertThat(new HashSet<>(picks.subList(i, i + 3))).as("picks %s to %s", i, i + 2).hasSize(3);
        }
    }

    @Test
    void roundRobinKeepsTheTurnOfEachRoutingGroup()
    {
        String etl = newGroup();
        String adhoc = newGroup();
        List<String> etlClusters = healthy(etl, "a", "b");
        List<String> adhocClusters = healthy(adhoc, "a", "b");
        ClusterSelector selector = selector(ROUND_ROBIN);

        // queries of the two groups arrive in alternation
        List<String> etlPicks = new ArrayList<>();
        List<String> adhocPicks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            etlPicks.add(selector.select(etl).orElseThrow().name());
            adhocPicks.add(selector.select(adhoc).orElseThrow().name());
        }
        assertThat(counts(etlPicks)).containsExactlyInAnyOrderEntriesOf(Map.of(etlClusters.get(0), 50L, etlClusters.get(1), 50L));
        assertThat(counts(adhocPicks)).containsExactlyInAnyOrderEntriesOf(Map.of(adhocClusters.get(0), 50L, adhocClusters.get(1), 50L));
        for (int i = 1; i < 100; i++) {
            assertThat(etlPicks.get(i)).as("etl pick %s", i).isNotEqualTo(etlPicks.get(i - 1));
            assertThat(adhocPicks.get(i)).as("adhoc pick %s", i).isNotEqualTo(adhocPicks.get(i - 1));
        }
    }

    @Test
    void roundRobinStaysEvenUnderConcurrentSubmissions()
            throws Exception
    {
        String group = newGroup();
        List<String> clusters = healthy(group, "a", "b", "c", "d");
        ClusterSelector selector = selector(ROUND_ROBIN);

        Map<String, AtomicLong> picked = new ConcurrentHashMap<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> submitters = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                submitters.add(threads.submit(() -> {
                    for (int i = 0; i < 2500; i++) {
                        picked.computeIfAbsent(selector.select(group).orElseThrow().name(), _ -> new AtomicLong()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> submitter : submitters) {
                submitter.get();
            }
        }
        assertThat(picked.keySet()).containsExactlyInAnyOrderElementsOf(clusters);
        picked.forEach((cluster, count) -> assertThat(count.get()).as(cluster).isEqualTo(2500));
    }

    @Test
    void weightedPicksInProportionToTheWeights()
    {
        String group = newGroup();
        String light = register(group, "light", coordinatorUrl(group + "-light"), true, ACTIVE, 1);
        String medium = register(group, "medium", coordinatorUrl(group + "-medium"), true, ACTIVE, 3);
        String heavy = register(group, "heavy", coordinatorUrl(group + "-heavy"), true, ACTIVE, 6);
        awaitHealth(HEALTHY, light, medium, heavy);
        ClusterSelector selector = selector(WEIGHTED);

        // 100,000 picks: the share of each cluster is within 1 point of its weight's share, more than 6 standard deviations
        Map<String, Long> counts = counts(picks(selector, group, 100_000));
        assertThat(counts.keySet()).containsExactlyInAnyOrder(light, medium, heavy);
        assertThat(counts.get(light) / 100_000.0).isCloseTo(0.1, within(0.01));
        assertThat(counts.get(medium) / 100_000.0).isCloseTo(0.3, within(0.01));
        assertThat(counts.get(heavy) / 100_000.0).isCloseTo(0.6, within(0.01));

        // the heavy cluster refuses a connection: the others share its queries in proportion to their weights
        health.reportConnectionFailure(heavy, new ConnectException("Connection refused"));
        assertThat(health.health(heavy).state()).isEqualTo(UNHEALTHY);
        counts = counts(picks(selector, group, 100_000));
        assertThat(counts.keySet()).containsExactlyInAnyOrder(light, medium);
        assertThat(counts.get(light) / 100_000.0).isCloseTo(0.25, within(0.01));
        assertThat(counts.get(medium) / 100_000.0).isCloseTo(0.75, within(0.01));
    }

    @Test
    void leastLoadedFillsTheClustersWithTheFewestRunningAndQueuedQueries()
    {
        String group = newGroup();
        List<String> clusters = healthy(group, "a", "b", "c");
        String a = clusters.get(0);
        String b = clusters.get(1);
        String c = clusters.get(2);
        heartbeat(a, ClusterState.ACTIVE, 1, 6);
        heartbeat(b, ClusterState.ACTIVE, 4, 0);
        heartbeat(c, ClusterState.ACTIVE, 2, 0);
        ClusterSelector selector = selector(LEAST_LOADED);

        // loads 7, 4 and 2: c takes queries until it has as many as b, then both until they have as many as a
        List<String> picks = picks(selector, group, 8);
        assertThat(picks.subList(0, 2)).containsExactly(c, c);
        assertThat(counts(picks)).containsExactlyInAnyOrderEntriesOf(Map.of(b, 3L, c, 5L));
        // all three at 7: one query each
        assertThat(picks(selector, group, 3)).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void leastLoadedCountsWhatItSentOnlyUntilTheNextHeartbeat()
    {
        String group = newGroup();
        List<String> clusters = healthy(group, "a", "b", "c");
        String a = clusters.get(0);
        String b = clusters.get(1);
        String c = clusters.get(2);
        heartbeat(a, ClusterState.ACTIVE, 0, 0);
        heartbeat(b, ClusterState.ACTIVE, 0, 0);
        heartbeat(c, ClusterState.ACTIVE, 6, 0);
        ClusterSelector selector = selector(LEAST_LOADED);
        assertThat(counts(picks(selector, group, 8))).containsExactlyInAnyOrderEntriesOf(Map.of(a, 4L, b, 4L));

        // the next heartbeats count the queries sent before them (3 of the 4 sent to a and to b
        // have finished): were the 4 still added, a and b would be at 5 and c, at 3, would be next
        heartbeat(a, ClusterState.ACTIVE, 1, 0);
        heartbeat(b, ClusterState.ACTIVE, 1, 0);
        heartbeat(c, ClusterState.ACTIVE, 3, 0);
        assertThat(counts(picks(selector, group, 4))).containsExactlyInAnyOrderEntriesOf(Map.of(a, 2L, b, 2L));
        assertThat(picks(selector, group, 3)).containsExactlyInAnyOrder(a, b, c);
    }

    @Test
    void leastLoadedTakesTurnsUntilEveryClusterHasAFreshHeartbeat()
    {
        String group = newGroup();
        List<String> clusters = healthy(group, "busy", "idle");
        String busy = clusters.get(0);
        String idle = clusters.get(1);
        ClusterSelector selector = selector(LEAST_LOADED);

        // no heartbeat from idle: its load is unknown
        heartbeat(busy, ClusterState.ACTIVE, 100, 0);
        assertThat(counts(picks(selector, group, 10))).containsExactlyInAnyOrderEntriesOf(Map.of(busy, 5L, idle, 5L));

        heartbeat(idle, ClusterState.ACTIVE, 0, 0);
        assertThat(picks(selector, group, 10)).containsOnly(idle);

        // idle's last heartbeat is older than routing.load-max-age (1 minute here)
        makeStale(idle);
        assertThat(counts(picks(selector, group, 10))).containsExactlyInAnyOrderEntriesOf(Map.of(busy, 5L, idle, 5L));
    }

    @Test
    void roundRobinChoosesOnlyActiveHealthyClustersThatAcceptQueries()
    {
        assertOnlyRoutableClustersChosen(ROUND_ROBIN);
    }

    @Test
    void weightedChoosesOnlyActiveHealthyClustersThatAcceptQueries()
    {
        assertOnlyRoutableClustersChosen(WEIGHTED);
    }

    @Test
    void leastLoadedChoosesOnlyActiveHealthyClustersThatAcceptQueries()
    {
        assertOnlyRoutableClustersChosen(LEAST_LOADED);
    }

    /**
     * A group with two clusters that may take queries and one of each kind that may not; the
     * ones that may not weigh 1000 and are idle, so that no policy would pass them over by chance.
     */
    private void assertOnlyRoutableClustersChosen(SelectionPolicy policy)
    {
        String group = newGroup();
        String first = register(group, "ok-1", coordinatorUrl(group + "-ok-1"), true, ACTIVE, 1);
        String second = register(group, "ok-2", coordinatorUrl(group + "-ok-2"), true, ACTIVE, 1);
        String deactivated = register(group, "deactivated", coordinatorUrl(group + "-deactivated"), false, ACTIVE, 1000);
        String draining = register(group, "draining", coordinatorUrl(group + "-draining"), true, DRAINING, 1000);
        String shuttingDown = register(group, "shutting-down", coordinatorUrl(group + "-shutting-down"), true, ACTIVE, 1000);
        String drained = register(group, "drained", coordinatorUrl(group + "-drained"), true, ACTIVE, 1000);
        String refusedByProxy = register(group, "refused", coordinatorUrl(group + "-refused"), true, ACTIVE, 1000);
        String unreachable = register(group, "unreachable", unreachableUrl + "/" + group, true, ACTIVE, 1000);
        String notCheckedYet = register(group, "not-checked", silentUrl(group + "-not-checked"), true, ACTIVE, 1000);
        awaitHealth(HEALTHY, first, second, deactivated, draining, shuttingDown, drained, refusedByProxy);
        awaitHealth(UNHEALTHY, unreachable);
        awaitHealth(PENDING, notCheckedYet);
        health.reportConnectionFailure(refusedByProxy, new ConnectException("Connection refused"));
        assertThat(health.health(refusedByProxy).state()).isEqualTo(UNHEALTHY);
        // coordinators drained by their drain file report it before the operator tells the gateway
        heartbeat(shuttingDown, ClusterState.SHUTTING_DOWN, 0, 0);
        heartbeat(drained, ClusterState.DRAINED, 0, 0);
        heartbeat(first, ClusterState.ACTIVE, 0, 0);
        heartbeat(second, ClusterState.ACTIVE, 0, 0);

        Map<String, Long> counts = counts(picks(selector(policy), group, 200));
        assertThat(counts.keySet()).as(policy.name()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void clustersNotCheckedYetAreChosenWhenNoneIsHealthy()
    {
        String group = newGroup();
        String first = register(group, "new-1", silentUrl(group + "-new-1"), true, ACTIVE, 1);
        String second = register(group, "new-2", silentUrl(group + "-new-2"), true, ACTIVE, 1);
        String unreachable = register(group, "unreachable", unreachableUrl + "/" + group, true, ACTIVE, 1);
        awaitHealth(PENDING, first, second);
        awaitHealth(UNHEALTHY, unreachable);

        for (SelectionPolicy policy : SelectionPolicy.values()) {
            assertThat(counts(picks(selector(policy), group, 100)).keySet()).as(policy.name()).containsExactlyInAnyOrder(first, second);
        }
    }

    /**
     * A healthy cluster that cannot take the query (its coordinator reports SHUTTING_DOWN, or the
     * query already failed to reach it) does not keep a cluster not checked yet from taking it.
     */
    @Test
    void clustersNotCheckedYetAreChosenWhenNoHealthyClusterMayTakeTheQuery()
    {
        String group = newGroup();
        String shuttingDown = register(group, "shutting-down", coordinatorUrl(group + "-shutting-down"), true, ACTIVE, 1);
        String refused = register(group, "refused", coordinatorUrl(group + "-refused"), true, ACTIVE, 1);
        String notCheckedYet = register(group, "new", silentUrl(group + "-new"), true, ACTIVE, 1);
        awaitHealth(HEALTHY, shuttingDown, refused);
        awaitHealth(PENDING, notCheckedYet);
        heartbeat(shuttingDown, ClusterState.SHUTTING_DOWN, 0, 0);

        for (SelectionPolicy policy : SelectionPolicy.values()) {
            ClusterSelector selector = selector(policy);
            assertThat(selector.select(group, Set.of(refused)).map(Cluster::name)).as(policy.name()).contains(notCheckedYet);
        }
    }

    @Test
    void excludedClustersAreNotChosen()
    {
        String group = newGroup();
        List<String> clusters = healthy(group, "a", "b", "c");
        Set<String> excluded = Set.of(clusters.get(0));

        for (SelectionPolicy policy : SelectionPolicy.values()) {
            ClusterSelector selector = selector(policy);
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                picks.add(selector.select(group, excluded).orElseThrow().name());
            }
            assertThat(counts(picks).keySet()).as(policy.name()).containsExactlyInAnyOrder(clusters.get(1), clusters.get(2));
            assertThat(selector.select(group, Set.copyOf(clusters))).as(policy.name()).isEmpty();
        }
    }

    @Test
    void noClusterWhenNoneOfTheGroupMayTakeTheQuery()
    {
        String unknown = newGroup();
        String unreachableOnly = newGroup();
        String unreachable = register(unreachableOnly, "unreachable", unreachableUrl + "/" + unreachableOnly, true, ACTIVE, 1);
        String drainingOnly = newGroup();
        String deactivated = register(drainingOnly, "deactivated", coordinatorUrl(drainingOnly + "-deactivated"), false, ACTIVE, 1);
        String draining = register(drainingOnly, "draining", coordinatorUrl(drainingOnly + "-draining"), true, DRAINING, 1);
        String shuttingDownOnly = newGroup();
        String shuttingDown = register(shuttingDownOnly, "shutting-down", coordinatorUrl(shuttingDownOnly + "-shutting-down"), true, ACTIVE, 1);
        awaitHealth(UNHEALTHY, unreachable);
        awaitHealth(HEALTHY, deactivated, draining, shuttingDown);
        heartbeat(shuttingDown, ClusterState.SHUTTING_DOWN, 0, 0);

        for (SelectionPolicy policy : SelectionPolicy.values()) {
            ClusterSelector selector = selector(policy);
            assertThat(selector.select(unknown)).as("%s, group without clusters", policy).isEmpty();
            assertThat(selector.select(unreachableOnly)).as("%s, group of an unreachable cluster", policy).isEmpty();
            assertThat(selector.select(drainingOnly)).as("%s, group of a deactivated and a draining cluster", policy).isEmpty();
            assertThat(selector.select(shuttingDownOnly)).as("%s, group of a cluster shutting down", policy).isEmpty();
        }
    }

    private ClusterSelector selector(SelectionPolicy policy)
    {
        return new ClusterSelector(registry, health, statuses, new RoutingConfig()
                .setPolicy(policy)
                .setLoadMaxAge(io.airlift.units.Duration.valueOf("1m")));
    }

    private String newGroup()
    {
        return "group-" + groups.incrementAndGet();
    }

    /**
     * Registers active clusters of weight 1 in the group, and waits until the health check found them healthy.
     *
     * @return their names, in name order
     */
    private List<String> healthy(String group, String... suffixes)
    {
        List<String> names = new ArrayList<>();
        for (String suffix : suffixes) {
            names.add(register(group, suffix, coordinatorUrl(group + "-" + suffix), true, ACTIVE, 1));
        }
        awaitHealth(HEALTHY, names.toArray(String[]::new));
        return names.stream().sorted().toList();
    }

    /**
     * Adds the cluster to the clusters table and makes the gateway read the table.
     *
     * @return its name
     */
    private String register(String group, String suffix, String url, boolean active, DesiredState desiredState, int weight)
    {
        String name = group + "-" + suffix;
        assertThat(registry.dao().insert(new ClusterRecord(name, url, url, group, active, desiredState, weight, ClusterKind.TRINO))).isTrue();
        registry.refresh();
        return name;
    }

    private String coordinatorUrl(String path)
    {
        return "http://127.0.0.1:" + coordinators.getAddress().getPort() + "/" + path;
    }

    private String silentUrl(String path)
    {
        return "http://127.0.0.1:" + silent.getLocalPort() + "/" + path;
    }

    private void awaitHealth(HealthState state, String... clusters)
    {
        for (String cluster : clusters) {
            assertEventually(WAIT, () -> assertThat(health.health(cluster).state()).as(cluster).isEqualTo(state));
        }
    }

    /**
     * Writes a heartbeat as the cluster's router plugin does, and waits until the gateway read it.
     */
    private void heartbeat(String cluster, ClusterState state, int running, int queued)
    {
        Optional<Instant> previous = statusDao.get(cluster).map(ClusterStatus::heartbeatAt);
        StatusReport report = new StatusReport(cluster, state, running, queued, 0, 1, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        // a heartbeat within the same millisecond as the previous one would look like the same heartbeat
        do {
            statusDao.report(report);
        }
        while (statusDao.get(cluster).map(ClusterStatus::heartbeatAt).equals(previous));
        awaitStatusRead(cluster);
    }

    private void makeStale(String cluster)
    {
        mysql.execute("UPDATE cluster_status SET heartbeat_at = heartbeat_at - INTERVAL 1 HOUR WHERE cluster_name = '" + cluster + "'");
        awaitStatusRead(cluster);
    }

    private void awaitStatusRead(String cluster)
    {
        ClusterStatus written = statusDao.get(cluster).orElseThrow();
        assertEventually(WAIT, () -> assertThat(statuses.status(cluster)).contains(written));
    }

    private static List<String> picks(ClusterSelector selector, String group, int count)
    {
        List<String> picks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            picks.add(selector.select(group).map(Cluster::name).orElseThrow());
        }
        return picks;
    }

    private static Map<String, Long> counts(List<String> picks)
    {
        return picks.stream().collect(groupingBy(name -> name, TreeMap::new, counting()));
    }
}
