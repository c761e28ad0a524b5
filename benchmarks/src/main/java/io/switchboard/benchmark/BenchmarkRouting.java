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
package io.switchboard.benchmark;

import io.switchboard.gateway.admission.AdmissionController;
import io.switchboard.gateway.admission.AdmissionController.Admission;
import io.switchboard.gateway.admission.AdmissionKey;
import io.switchboard.gateway.admission.AdmissionSlot;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.proxy.TrinoPath;
import io.switchboard.gateway.routing.ClusterSelector;
import io.switchboard.gateway.routing.RecentQueryClusters;
import io.switchboard.quickstart.EmbeddedGateway;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.store.status.QueryCounts;
import io.switchboard.store.status.StatusReport;
import io.switchboard.testing.TestingMysql;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * The routing work done for every proxied request: parsing the path, and for a new query picking
 * a cluster and remembering where it went, and the admission of a query under its limits. The
 * selector and the admission controller are the gateway's own, wired by Guice over a real
 * (embedded) MySQL.
 * Run with {@code bin/benchmark --jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class BenchmarkRouting
{
    /**
     * Inputs in fields, so that the compiler cannot fold the parsing away.
     */
    @State(Scope.Thread)
    public static class Paths
    {
        private String prefix = "/cluster";
        private String submit = "/v1/statement";
        private String prefixedNextUri = "/cluster/trino-3/v1/statement/executing/20260101_000000_00042_abcde/y1f3a9c/2";
        private String queryIdPath = "/v1/statement/queued/20260101_000000_00042_abcde/y1f3a9c/1";
        private String info = "/v1/info";
    }

    /**
     * A route cache of the default size that is full, as on a busy gateway, and query ids it has
     * never seen.
     */
    @State(Scope.Thread)
    public static class Routes
    {
        private static final int CAPACITY = 100_000;

        private final RecentQueryClusters clusters = new RecentQueryClusters(CAPACITY);
        private final String[] newQueryIds = new String[CAPACITY * 10];
        private int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            for (int i = 0; i < newQueryIds.length; i++) {
                newQueryIds[i] = "20260101_000000_%05d_%05d".formatted(i / 100_000, i % 100_000);
            }
            for (int i = 0; i < CAPACITY; i++) {
                clusters.put("20251231_000000_00000_%05d".formatted(i), "trino-1");
            }
        }

        String nextQueryId()
        {
            String queryId = newQueryIds[next];
            next = (next + 1) % newQueryIds.length;
            return queryId;
        }
    }

    @State(Scope.Benchmark)
    public static class Gateway
    {
        @Param({"1", "4", "16"})
        private int clustersInGroup;

        /**
         * Whether the clusters' router plugins report heartbeats, with query counts of 1000 users each
         * (alice among them): admission then counts those users' queries elsewhere, and routing
         * picks the least loaded cluster instead of taking turns.
         */
        @Param({"false", "true"})
        private boolean heartbeats;

        private TestingMysql mysql;
        private EmbeddedGateway gateway;
        private final List<TrinoStub> stubs = new ArrayList<>();
        private ClusterSelector selector;
        private AdmissionController admission;
        private ScheduledExecutorService plugins;

        @Setup(Level.Trial)
        public void setUp()
                throws Exception
        {
            mysql = TestingMysql.start();
            // limits that are checked on every query and never reached
            gateway = new EmbeddedGateway(mysql, Map.of(
                    "admission.enabled", "true",
                    "admission.max-running-per-user", "1000000",
                    "admission.max-running-per-group", "1000000",
                    "admission.cluster-capacity", "1000000"));
            for (int i = 0; i < clustersInGroup; i++) {
                // healthy clusters: each answers /v1/info like an idle coordinator
                TrinoStub stub = new TrinoStub(0);
                stub.start();
                stubs.add(stub);
                gateway.addCluster("trino-" + i, URI.create("http://127.0.0.1:" + stub.port()), "adhoc");
            }
            gateway.instance(ClusterRegistry.class).refresh();
            if (heartbeats) {
                ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
                Map<String, Integer> byUser = new HashMap<>();
                for (int user = 0; user < QueryCounts.MAX_REPORTED - 1; user++) {
                    byUser.put("user-" + user, 1 + user % 3);
                }
                byUser.put("alice", 5);
                QueryCounts counts = new QueryCounts(byUser, Map.of("airflow", 100));
                plugins = Executors.newSingleThreadScheduledExecutor();
                plugins.scheduleWithFixedDelay(() -> {
                    for (int i = 0; i < clustersInGroup; i++) {
                        statuses.report(new StatusReport("trino-" + i, ClusterState.ACTIVE, 10 + i, 0, 0, 1, 0, 0,
                                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(counts)));
                    }
                }, 0, 500, MILLISECONDS);
                Thread.sleep(3000);
            }
            // bounded wait for the first health checks, where the gateway has them
            for (int attempt = 0; attempt < 120; attempt++) {
                String clusters = gateway.send("GET", "/api/v1/clusters", null).body();
                if (!clusters.contains("PENDING") && !clusters.contains("UNHEALTHY")) {
                    break;
                }
                Thread.sleep(250);
            }
            selector = gateway.instance(ClusterSelector.class);
            admission = gateway.instance(AdmissionController.class);
            if (selector.select("adhoc").isEmpty()) {
                throw new IllegalStateException("No cluster selected");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
                throws Exception
        {
            if (plugins != null) {
                plugins.shutdownNow();
                plugins.awaitTermination(10, SECONDS);
            }
            gateway.close();
            mysql.close();
            for (TrinoStub stub : stubs) {
                stub.stop();
            }
        }
    }

    @Benchmark
    public TrinoPath parseSubmit(Paths paths)
    {
        return TrinoPath.parse("POST", paths.submit, null, paths.prefix);
    }

    @Benchmark
    public TrinoPath parsePrefixedNextUri(Paths paths)
    {
        return TrinoPath.parse("GET", paths.prefixedNextUri, null, paths.prefix);
    }

    @Benchmark
    public TrinoPath parseQueryIdPath(Paths paths)
    {
        return TrinoPath.parse("GET", paths.queryIdPath, null, paths.prefix);
    }

    @Benchmark
    public TrinoPath parseInfo(Paths paths)
    {
        return TrinoPath.parse("GET", paths.info, null, paths.prefix);
    }

    @Benchmark
    public void rememberNewQuery(Routes routes)
    {
        routes.clusters.put(routes.nextQueryId(), "trino-2");
    }

    @Benchmark
    public Optional<Cluster> select(Gateway gateway)
    {
        return gateway.selector.select("adhoc");
    }

    /**
     * What admission adds to a new query under its limits: admit (with the selection), bind the
     * query id, then release, as its last page does.
     */
    @Benchmark
    public AdmissionSlot admitBindRelease(Gateway gateway, Routes routes)
    {
        Admission admission = gateway.admission.submit(new AdmissionKey("alice", "", "adhoc"), () -> {
            throw new IllegalStateException("Query held: the limits are too low for this benchmark");
        });
        AdmissionSlot slot = ((Admission.Admitted) admission).slot();
        gateway.admission.bind(slot, routes.nextQueryId());
        gateway.admission.release(slot);
        return slot;
    }
}
