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
package io.switchboard.quickstart;

import io.switchboard.testing.PrestoDbServer;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TestingObjectStore;
import io.switchboard.testing.TrinoDistribution;
import io.switchboard.testing.TrinoServer;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static io.switchboard.testing.MemberClusters.memberCluster;
import static io.switchboard.testing.MemberClusters.prestoDbMemberCluster;

/**
 * The demo behind {@code bin/quickstart}: an embedded MySQL, two real Trino 476 clusters with
 * both plugins installed from their zips and configured as the README says, spooling their
 * large results to an S3-compatible store (S3Proxy), and the gateway
 * with both clusters in routing group {@code adhoc}. Stops everything on Ctrl-C or SIGTERM.
 */
public final class Quickstart
{
    // under the benchmarks module's target directory, where bin/quickstart runs
    private static final String REQUEST_LOG = "target/quickstart/http-request.log";

    private Quickstart() {}

    public static void main(String[] args)
            throws InterruptedException
    {
        int port = Integer.parseInt(System.getenv().getOrDefault("SWITCHBOARD_PORT", "8080"));
        List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the gateway, both Trino clusters and MySQL...");
            List<AutoCloseable> reversed = new ArrayList<>(started);
            Collections.reverse(reversed);
            for (AutoCloseable closeable : reversed) {
                try {
                    closeable.close();
                }
                catch (Exception e) {
                    System.err.println("Failed to stop " + closeable + ": " + e);
                }
            }
            stopped.countDown();
        }));

        System.out.println("Starting an embedded MySQL (MariaDB)...");
        TestingMysql mysql = TestingMysql.start();
        started.add(mysql);
        System.out.println("Starting an S3-compatible store (S3Proxy) for spooled results...");
        TestingObjectStore objectStore = TestingObjectStore.start("spooling");
        started.add(objectStore);
        boolean withPrestoDb = "1".equals(System.getenv("SWITCHBOARD_PRESTODB"));
        CompletableFuture<Optional<PrestoDbServer>> prestoDb = CompletableFuture.completedFuture(Optional.empty());
        if (withPrestoDb) {
            System.out.println("Starting a PrestoDB 0.287 cluster with the Switchboard plugin for PrestoDB (SWITCHBOARD_PRESTODB=1, about 40 s)...");
            prestoDb = CompletableFuture.supplyAsync(() -> Optional.of(prestoDbMemberCluster("presto-1", mysql, "").start()));
        }
        System.out.println("Starting two Trino 476 clusters with the Switchboard plugins and spooling (about 30 s)...");
        CompletableFuture<TrinoServer> first = CompletableFuture.supplyAsync(() -> memberCluster("adhoc-1", mysql).withSpooling(objectStore).start());
        CompletableFuture<TrinoServer> second = CompletableFuture.supplyAsync(() -> memberCluster("adhoc-2", mysql).withSpooling(objectStore).start());
        for (CompletableFuture<TrinoServer> server : List.of(first, second)) {
            started.add(server.join());
        }
        prestoDb.join().ifPresent(started::add);
        EmbeddedGateway gateway = new EmbeddedGateway(mysql, Map.of(
                "http-server.http.port", String.valueOf(port),
                "http-server.http.bind-address", "127.0.0.1",
                // admission control, with limits a demo does not reach by chance: see docs/admission.md
                "admission.enabled", "true",
                "admission.max-running-per-user", "10",
                "admission.cluster-capacity", "20",
                // the HTTP request log, off by default: see docs/operations.md#request-log
                "http-server.log.enabled", "true",
                "http-server.log.path", REQUEST_LOG));
        started.add(gateway);
        for (TrinoServer server : List.of(first.join(), second.join())) {
            gateway.addCluster(server.name(), server.baseUri(), "adhoc");
        }
        prestoDb.join().ifPresent(presto -> addPrestoDb(gateway, presto));

        String cli = TrinoDistribution.fromBuild().cliJar().toString();
        System.out.println("""

                ================ Switchboard quickstart is running ================
                Gateway (Trino protocol, API):  %1$s
                  Trino CLI:   java -jar %2$s --server %1$s --catalog tpch --schema tiny
                  JDBC URL:    jdbc:trino://127.0.0.1:%3$s/tpch/tiny
                  Clusters:    curl %1$s/api/v1/clusters
                  Admission:   curl %1$s/api/v1/queue  (10 running queries per user, 20 per cluster)
                  Console:     %1$s/console
                  Metrics:     curl %1$s/metrics  (and /readyz, /livez; Grafana: etc/grafana/switchboard.json)
                  Request log: %8$s
                Member clusters (routing group adhoc):
                  adhoc-1      %4$s
                  adhoc-2      %5$s
                MySQL:         %6$s (user root, no password)
                Spooling:      segments in S3Proxy at %7$s, bucket spooling
                Press Ctrl-C to stop everything.
                ====================================================================
                """.formatted(gateway.baseUri(), cli, gateway.baseUri().getPort(), first.join().baseUri(), second.join().baseUri(), mysql.jdbcUrl(), objectStore.endpoint(), Path.of(REQUEST_LOG).toAbsolutePath()));
        prestoDb.join().ifPresent(presto -> System.out.println("""
                PrestoDB cluster (routing group presto, for clients of the PrestoDB protocol):
                  presto-1     %s
                  PrestoDB CLI: java -jar %s --server %s --catalog tpch --schema tiny
                ====================================================================
                """.formatted(presto.baseUri(), PrestoDbServer.cliJar(), gateway.baseUri())));
        stopped.await();
    }

    /**
     * The PrestoDB cluster in a group of its own, and the rule that sends PrestoDB's clients there.
     */
    private static void addPrestoDb(EmbeddedGateway gateway, PrestoDbServer presto)
    {
        gateway.addCluster(presto.name(), presto.baseUri(), "presto", "prestodb");
        HttpResponse<String> response = gateway.send("POST", "/api/v1/routing-rules", """
                {"name": "prestodb-clients", "description": "clients of the PrestoDB protocol go to the PrestoDB cluster", "priority": 100,
                 "condition": "'x-presto-user' in headers && !('x-trino-user' in headers)", "routingGroup": "presto"}
                """);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Cannot add the routing rule for PrestoDB clients: HTTP %s %s".formatted(response.statusCode(), response.body()));
        }
    }
}
