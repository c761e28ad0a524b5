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
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Priorities and admission classes set by routing rules, end to end: a real Trino 476 cluster
 * behind gateways with admission enabled, trino-jdbc clients, the order in which the queries
 * reached the cluster read from the cluster's own query list, and the wait in the gateway's queue
 * read from the query history.
 */
@TestInstance(PER_CLASS)
final class TestAdmissionPriority
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    // 200,000 rows: more than trino-jdbc fetches ahead (50,000), so a client that pauses keeps its query running
    private static final String LONG_QUERY = "SELECT a.x * 1000 + b.x FROM UNNEST(sequence(1, 400)) a(x) CROSS JOIN UNNEST(sequence(1, 500)) b(x)";

    // a thread per client: the common pool may have one thread only on a small machine
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private TestingMysql mysql;
    private TrinoServer trino;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        trino = TrinoServer.builder("adhoc-1").start();
        gateway = new TestingGateway(mysql, Map.of(
                "admission.enabled", "true",
                "admission.cluster-capacity", "1"));
        gateway.addCluster(trino, "adhoc");
        addRule("{\"name\": \"etl-first\", \"priority\": 1, \"condition\": \"user == 'etl'\", \"continue\": true, \"queuePriority\": 10}");
        addRule("{\"name\": \"reports\", \"priority\": 2, \"condition\": \"source == 'reports'\", \"continue\": true, \"admissionClass\": \"reports\"}");
    }

    @AfterAll
    void stop()
    {
        clients.shutdownNow();
        closeAll(gateway, trino, mysql);
    }

    /**
     * One query at a time on the cluster: while it runs, alice, bob, carol and then etl queue.
     * The rule gives etl priority 10: queued last, it runs first; the others follow in turn.
     * Each queued query's route records how long it waited in the gateway.
     */
    @Test
    void aHigherPriorityQueuedLastRunsFirst()
            throws Exception
    {
        AdmissionController admission = gateway.instance(AdmissionController.class);
        String marker = "priority_" + UUID.randomUUID().toString().replace("-", "");
        List<CompletableFuture<Void>> submitted = new ArrayList<>();
        try (RunningQuery holder = RunningQuery.start(connect(gateway, "holder", ""), LONG_QUERY)) {
            List<String> users = List.of("alice", "bob", "carol", "etl");
            for (int i = 0; i < users.size(); i++) {
                String user = users.get(i);
                submitted.add(CompletableFuture.runAsync(() -> runQuery(gateway, user, "", "SELECT '" + marker + "'"), clients));
                int queued = i + 1;
                assertEventually(Duration.ofSeconds(10), () -> assertThat(admission.snapshot().queued()).hasSize(queued));
            }
            assertThat(admission.snapshot().queued())
                    .extracting(AdmissionController.QueuedView::user, AdmissionController.QueuedView::priority, AdmissionController.QueuedView::position)
                    .containsExactly(tuple("etl", 10, 1), tuple("alice", 0, 2), tuple("bob", 0, 3), tuple("carol", 0, 4));
        }
        for (CompletableFuture<Void> client : submitted) {
            client.get(60, SECONDS);
        }

        // Trino numbers its queries in the order it received them
        Map<String, String> queryIdByUser = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode query : queries()) {
            if (query.path("query").asText().contains(marker)) {
                queryIdByUser.put(query.path("session").path("user").asText(), query.path("queryId").asText());
            }
        }
        queryIdByUser.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(entry -> order.add(entry.getKey()));
        assertThat(order).containsExactly("etl", "alice", "bob", "carol");

        for (String queryId : queryIdByUser.values()) {
            assertEventually(Duration.ofSeconds(10), () -> assertThat(history(queryId).path("queuedInGatewayMillis").asLong())
                    .as("time %s waited in the gateway's queue", queryId)
                    .isGreaterThan(0));
        }
        // etl waited least
        long etlWait = history(queryIdByUser.get("etl")).path("queuedInGatewayMillis").asLong();
        assertThat(history(queryIdByUser.get("carol")).path("queuedInGatewayMillis").asLong()).isGreaterThan(etlWait);
        String holderId = queryIdOf("holder");
        assertEventually(Duration.ofSeconds(10), () -> assertThat(history(holderId).path("routingGroup").asText()).isEqualTo("adhoc"));
        assertThat(history(holderId).path("queuedInGatewayMillis").isNumber()).as("a query never queued has no wait: %s", history(holderId)).isFalse();
    }

    /**
     * admission.class-max-running=reports:1: while one query of the class runs, a second one
     * waits, and a query of no class passes it.
     */
    @Test
    void aClassLimitHoldsOnlyItsClass()
            throws Exception
    {
        try (TestingGateway classes = new TestingGateway(mysql, Map.of(
                "admission.enabled", "true",
                "admission.class-max-running", "reports:1"))) {
            AdmissionController admission = classes.instance(AdmissionController.class);
            String marker = "class_" + UUID.randomUUID().toString().replace("-", "");
            CompletableFuture<Void> held;
            try (RunningQuery _ = RunningQuery.start(connect(classes, "ann", "reports"), LONG_QUERY)) {
                assertThat(admission.snapshot().runningByClass()).isEqualTo(Map.of("adhoc", Map.of("reports", 1)));
                held = CompletableFuture.runAsync(() -> runQuery(classes, "ben", "reports", "SELECT '" + marker + "'"), clients);
                assertEventually(Duration.ofSeconds(10), () -> assertThat(admission.snapshot().queued())
                        .singleElement()
                        .satisfies(queued -> {
                            assertThat(queued.user()).isEqualTo("ben");
                            assertThat(queued.admissionClass()).contains("reports");
                            assertThat(queued.blockedBy()).isEqualTo("the limit of 1 running queries of admission class 'reports' in routing group 'adhoc' (admission.class-max-running)");
                        }));
                // another query of no class passes, on the same cluster
                runQuery(classes, "cal", "", "SELECT '" + marker + "'");
                assertThat(held).isNotDone();
                assertThat(admission.snapshot().queued()).hasSize(1);
            }
            held.get(30, SECONDS);
            String benId = queryIdOf("ben");
            assertEventually(Duration.ofSeconds(10), () -> assertThat(history(benId).path("queuedInGatewayMillis").asLong()).isGreaterThan(0));
            assertEventually(Duration.ofSeconds(5), () -> assertThat(admission.snapshot().runningByClass()).isEmpty());
        }
    }

    private void addRule(String rule)
    {
        HttpResponse<String> response = gateway.send("POST", "/api/v1/routing-rules", rule);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private JsonNode history(String queryId)
    {
        HttpResponse<String> response = gateway.send("GET", "/api/v1/queries/" + queryId, null);
        return response.statusCode() == 200 ? json(response.body()) : json("{}");
    }

    private String queryIdOf(String user)
    {
        for (JsonNode query : queries()) {
            if (query.path("session").path("user").asText().equals(user)) {
                return query.path("queryId").asText();
            }
        }
        throw new AssertionError("no query of " + user + " on " + trino.name());
    }

    private JsonNode queries()
    {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(trino.baseUri().resolve("/v1/query")).header("X-Trino-User", "test").GET().build(),
                    HttpResponse.BodyHandlers.ofString(UTF_8));
            return json(response.body());
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void runQuery(TestingGateway gateway, String user, String source, String sql)
    {
        try (Connection connection = connect(gateway, user, source);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                assertThat(resultSet.getString(1)).isNotEmpty();
            }
        }
        catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Connection connect(TestingGateway gateway, String user, String source)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (!source.isEmpty()) {
            properties.setProperty("source", source);
        }
        return DriverManager.getConnection(gateway.jdbcUrl(), properties);
    }
}
