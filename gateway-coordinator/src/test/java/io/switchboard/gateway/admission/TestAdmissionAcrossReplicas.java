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
package io.switchboard.gateway.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.routing.ClusterSelector;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Two gateway replicas on one MariaDB in front of two real Trino 476 clusters with both plugins
 * installed from their zips: a user's limit holds across the replicas, each one counting the
 * other's queries from the router plugins' heartbeats.
 */
@TestInstance(PER_CLASS)
final class TestAdmissionAcrossReplicas
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String USER = "dave";
    private static final int USER_LIMIT = 3;
    private static final Set<String> DONE = Set.of("FINISHED", "FAILED");
    // 200,000 rows: more than trino-jdbc fetches ahead (50,000), so a client that pauses keeps its query running
    private static final String QUERY = "SELECT a.x * 1000 + b.x FROM UNNEST(sequence(1, 400)) a(x) CROSS JOIN UNNEST(sequence(1, 500)) b(x)";
    private static final Duration PROPAGATION = Duration.ofSeconds(15);

    private TestingMysql mysql;
    private TrinoServer first;
    private TrinoServer second;
    private TestingGateway replicaA;
    private TestingGateway replicaB;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        replicaA = replica("gateway-a");
        CompletableFuture<TrinoServer> secondStart = CompletableFuture.supplyAsync(() -> memberCluster("fleet-2", mysql, "switchboard.heartbeat-interval=500ms\n").start());
        first = memberCluster("fleet-1", mysql, "switchboard.heartbeat-interval=500ms\n").start();
        second = secondStart.join();
        replicaA.addCluster(first, "adhoc");
        replicaA.addCluster(second, "adhoc");
        replicaB = replica("gateway-b");
    }

    private TestingGateway replica(String id)
    {
        return new TestingGateway(mysql, Map.of(
                "gateway.id", id,
                "admission.enabled", "true",
                "admission.max-running-per-user", String.valueOf(USER_LIMIT)));
    }

    @AfterAll
    void stop()
    {
        closeAll(replicaB, replicaA, second, first, mysql);
    }

    /**
     * The user's queries go through both replicas in turn; each replica admits only what the
     * limit leaves after the other's queries, as the heartbeats count them, and admits more when
     * the heartbeats show the other's queries ended. Sampled from the clusters' own query lists,
     * the user never runs more than the limit.
     */
    @Test
    void aUserLimitHoldsAcrossReplicas()
            throws Exception
    {
        for (TestingGateway replica : List.of(replicaA, replicaB)) {
            // both clusters serve through the replica and report their counts to it
            assertEventually(PROPAGATION, () -> assertThat(replica.instance(ClusterSelector.class).candidates("adhoc")).hasSize(2));
            assertEventually(PROPAGATION, () -> assertThat(replica.instance(ClusterStatuses.class).queryCounts()).hasSize(2));
        }
        AtomicInteger most = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> most.accumulateAndGet(runningOnClusters(), Math::max), 0, 100, MILLISECONDS);
        ExecutorService clients = Executors.newCachedThreadPool();
        List<RunningQuery> started = new ArrayList<>();
        try {
            // two through replica A
            RunningQuery a1 = RunningQuery.start(connect(replicaA), QUERY);
            started.add(a1);
            started.add(RunningQuery.start(connect(replicaA), QUERY));
            assertEventually(PROPAGATION, () -> assertThat(elsewhere(replicaB)).isEqualTo(2));

            // three through replica B: one fits, two wait in B's queue, in the order they came
            RunningQuery b1 = RunningQuery.start(connect(replicaB), QUERY);
            started.add(b1);
            Future<RunningQuery> b2 = clients.submit(() -> RunningQuery.start(connect(replicaB), QUERY));
            assertEventually(PROPAGATION, () -> assertThat(replicaB.instance(AdmissionController.class).snapshot().queued()).hasSize(1));
            Future<RunningQuery> b3 = clients.submit(() -> RunningQuery.start(connect(replicaB), QUERY));
            assertEventually(PROPAGATION, () -> assertThat(replicaB.instance(AdmissionController.class).snapshot().queued()).hasSize(2));
            // (a heartbeat within a second of b1's admission may count it twice for a moment: strict, never lenient)
            assertThat(replicaB.instance(AdmissionController.class).snapshot().queued().getFirst().blockedBy())
                    .startsWith("the limit of 3 running queries for user 'dave' (admission.max-running-per-user; 1 through this gateway, ")
                    .endsWith(" elsewhere by the clusters' heartbeats)");

            // replica A, which runs only two of them itself, holds a new one too once it sees B's
            assertEventually(PROPAGATION, () -> assertThat(elsewhere(replicaA)).isEqualTo(1));
            JsonNode held = submit(replicaA);
            assertThat(held.path("stats").path("state").asText()).isEqualTo("QUEUED");
            assertThat(held.path("warnings").get(0).path("message").asText()).contains("(admission.max-running-per-user; 2 through this gateway, 1 elsewhere by the clusters' heartbeats)");
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(held.path("nextUri").asText())).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);

            // a query of A ends: once the heartbeats show it, B admits its next one, and only that one
            a1.close();
            started.remove(a1);
            started.add(b2.get(30, SECONDS));
            Thread.sleep(2000);
            assertThat(b3.isDone()).as("the last waits while the user runs %s queries", USER_LIMIT).isFalse();
            assertThat(replicaB.instance(AdmissionController.class).snapshot().queued()).hasSize(1);

            // one of B's own ends: B admits the last at once
            b1.close();
            started.remove(b1);
            started.add(b3.get(30, SECONDS));

            assertEventually(PROPAGATION, () -> assertThat(runningOnClusters()).isEqualTo(USER_LIMIT));
            assertThat(most.get()).as("the most queries of %s running or queued on the clusters at once", USER).isEqualTo(USER_LIMIT);
        }
        finally {
            sampler.shutdownNow();
            for (RunningQuery query : started) {
                query.close();
            }
            clients.shutdownNow();
        }
        for (TestingGateway replica : List.of(replicaA, replicaB)) {
            assertEventually(PROPAGATION, () -> assertThat(replica.instance(AdmissionController.class).snapshot().runningByUser()).isEmpty());
            assertEventually(PROPAGATION, () -> assertThat(replica.instance(AdmissionController.class).snapshot().elsewhereByUser()).isEmpty());
        }
    }

    private static int elsewhere(TestingGateway replica)
    {
        return replica.instance(AdmissionController.class).snapshot().elsewhereByUser().getOrDefault(USER, 0);
    }

    private static JsonNode submit(TestingGateway replica)
            throws Exception
    {
        return json(HTTP.send(HttpRequest.newBuilder(replica.baseUri().resolve("/v1/statement"))
                .header("X-Trino-User", USER)
                .POST(HttpRequest.BodyPublishers.ofString(QUERY))
                .build(), HttpResponse.BodyHandlers.ofString(UTF_8)).body());
    }

    /**
     * The user's queries that the clusters have not finished, by their own query lists.
     */
    private int runningOnClusters()
    {
        int running = 0;
        for (TrinoServer cluster : List.of(first, second)) {
            for (JsonNode query : queries(cluster)) {
                if (query.path("session").path("user").asText().equals(USER) && !DONE.contains(query.path("state").asText())) {
                    running++;
                }
            }
        }
        return running;
    }

    private static JsonNode queries(TrinoServer cluster)
    {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(cluster.baseUri().resolve("/v1/query")).header("X-Trino-User", "test").GET().build(),
                    HttpResponse.BodyHandlers.ofString(UTF_8));
            return json(response.body());
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Connection connect(TestingGateway gateway)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        return DriverManager.getConnection(gateway.jdbcUrl(), properties);
    }
}
