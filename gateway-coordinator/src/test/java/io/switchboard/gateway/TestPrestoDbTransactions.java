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

import com.facebook.presto.jdbc.PrestoResultSet;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testing.PrestoDbServer;
import io.switchboard.testing.TestingMysql;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.Eventually.awaitTrue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Transactions of PrestoDB clients through the gateway: two real PrestoDB 0.287 coordinators in
 * one routing group (chosen round-robin), presto-jdbc with autocommit off, and PrestoDB's
 * {@code X-Presto-*} transaction headers. Each coordinator sits behind a pass-through proxy that
 * keeps the headers of every statement it receives, so the test sees what PrestoDB was sent.
 */
@TestInstance(PER_CLASS)
final class TestPrestoDbTransactions
{
    private static final String USER = "presto-transaction-user";

    private TestingMysql mysql;
    private final Map<String, PrestoDbServer> prestos = new LinkedHashMap<>();
    private final Map<String, StatementRecorder> recorders = new LinkedHashMap<>();
    private TestingGateway gateway;

    @BeforeAll
    void start()
            throws Exception
    {
        try {
            mysql = TestingMysql.start();
            CompletableFuture<PrestoDbServer> second = CompletableFuture.supplyAsync(() -> PrestoDbServer.start("presto-2"));
            prestos.put("presto-1", PrestoDbServer.start("presto-1"));
            prestos.put("presto-2", second.join());
            gateway = new TestingGateway(mysql, Map.of());
            for (Map.Entry<String, PrestoDbServer> presto : prestos.entrySet()) {
                StatementRecorder recorder = new StatementRecorder(presto.getValue().baseUri());
                recorders.put(presto.getKey(), recorder);
                HttpResponse<String> added = gateway.send("POST", "/api/v1/clusters", """
                        {"name": "%s", "proxyUrl": "%s", "routingGroup": "adhoc", "kind": "prestodb"}
                        """.formatted(presto.getKey(), recorder.baseUri()));
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            }
            awaitTrue(() -> json(gateway.send("GET", "/api/v1/clusters", null).body()).findValues("acceptingQueries").stream().filter(JsonNode::asBoolean).count() == 2, Duration.ofSeconds(30));
        }
        catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop()
    {
        List<AutoCloseable> closeables = new ArrayList<>();
        closeables.add(gateway);
        closeables.addAll(recorders.values());
        closeables.addAll(prestos.values());
        closeables.add(mysql);
        closeAll(closeables.toArray(AutoCloseable[]::new));
    }

    @Test
    void everyStatementOfAPrestoJdbcTransactionRunsOnTheClusterThatStartedIt()
            throws Exception
    {
        Set<String> clustersOfTransactions = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            List<String> queryIds = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection("jdbc:presto://" + gateway.baseUri().getAuthority() + "/tpch/tiny", properties())) {
                connection.setAutoCommit(false);
                // presto-jdbc runs START TRANSACTION before the first statement
                assertThat(query(connection, "SELECT count(*) FROM nation", queryIds)).isEqualTo("25");
                assertThat(query(connection, "SELECT count(*) FROM region", queryIds)).isEqualTo("5");
                assertThat(query(connection, "SELECT name FROM nation WHERE nationkey = 7", queryIds)).isEqualTo("GERMANY");
                assertThat(query(connection, "SELECT count(*) FROM orders", queryIds)).isEqualTo("15000");
                connection.commit();
            }
            Set<String> clusters = new HashSet<>();
            Set<String> transactionIds = new HashSet<>();
            for (String queryId : queryIds) {
                Map.Entry<String, JsonNode> ranOn = clusterOf(queryId);
                clusters.add(ranOn.getKey());
                transactionIds.add(ranOn.getValue().at("/session/transactionId").asText());
            }
            assertThat(clusters).as("clusters of the statements of transaction %s", transactionIds).hasSize(1);
            assertThat(transactionIds).hasSize(1).doesNotContain("");
            clustersOfTransactions.addAll(clusters);
        }
        // the round-robin placed the transactions on both clusters: a statement sent to the other one would fail there
        assertThat(clustersOfTransactions).containsExactlyInAnyOrder("presto-1", "presto-2");
        // presto-jdbc polls COMMIT without the transaction header: the gateway still saw every transaction end
        awaitTrue(() -> StoredTransactions.openCount(mysql) == 0, Duration.ofSeconds(10));
    }

    @Test
    void aClientsTransactionCredentialNeverReachesTheCluster()
    {
        String source = "forged-" + UUID.randomUUID();
        // outside a transaction: removed, the client's other credentials kept
        TransactionStatement plain = run(gateway.baseUri(), "SELECT 1", "NONE", source, "switchboard.transaction=x, team=blue");
        assertThat(plain.state()).as(plain.error()).isEqualTo("FINISHED");
        assertThat(receivedCredentials(source)).containsExactly(List.of("team=blue"));

        // inside one: the cluster receives the gateway's credential naming the real transaction, and only that
        String transactionSource = "forged-in-transaction-" + UUID.randomUUID();
        TransactionStatement started = run(gateway.baseUri(), "START TRANSACTION", "NONE", transactionSource, null);
        assertThat(started.state()).as(started.error()).isEqualTo("FINISHED");
        String transactionId = started.startedTransactionId().orElseThrow();
        TransactionStatement inTransaction = run(gateway.baseUri(), "SELECT count(*) FROM tpch.tiny.region", transactionId, transactionSource, "switchboard.transaction=x");
        assertThat(inTransaction.state()).as(inTransaction.error()).isEqualTo("FINISHED");
        TransactionStatement commit = run(gateway.baseUri(), "COMMIT", transactionId, transactionSource, null);
        assertThat(commit.state()).as(commit.error()).isEqualTo("FINISHED");
        assertThat(commit.cleared()).isTrue();
        assertThat(receivedCredentials(transactionSource)).containsExactly(
                List.of(),
                List.of("switchboard.transaction=" + transactionId),
                List.of("switchboard.transaction=" + transactionId));
        awaitTrue(() -> StoredTransactions.clusterOf(mysql, transactionId).isEmpty(), Duration.ofSeconds(10));
    }

    @Test
    void aPrestoDbTransactionContinuesThroughAnotherReplicaThatAsksTheClusters()
            throws Exception
    {
        String transactionId = run(gateway.baseUri(), "START TRANSACTION", "NONE", "replicas", null).startedTransactionId().orElseThrow();
        // a cluster names a transaction in its query list once a statement ran in it
        assertThat(run(gateway.baseUri(), "SELECT 0", transactionId, "replicas", null).state()).isEqualTo("FINISHED");
        awaitTrue(() -> StoredTransactions.clusterOf(mysql, transactionId).isPresent(), Duration.ofSeconds(10));
        String cluster = StoredTransactions.clusterOf(mysql, transactionId).orElseThrow();
        // without the row, the other replica finds the transaction by asking the clusters with X-Presto-User
        mysql.execute("DELETE FROM transaction_routes WHERE transaction_id = '" + transactionId + "'");
        try (TestingGateway other = new TestingGateway(mysql, Map.of())) {
            for (String sql : List.of("SELECT count(*) FROM tpch.tiny.nation", "COMMIT")) {
                TransactionStatement statement = run(other.baseUri(), sql, transactionId, "replicas", null);
                assertThat(statement.state()).as(sql + ": " + statement.error()).isEqualTo("FINISHED");
            }
        }
        // all four statements reached the transaction's cluster, none the other
        Map<String, Long> statements = new LinkedHashMap<>();
        recorders.forEach((name, recorder) -> statements.put(name, recorder.received().stream().filter(headers -> "replicas".equals(headers.get("X-Presto-Source"))).count()));
        assertThat(statements).containsEntry(cluster, 4L).containsValues(0L);
    }

    @Test
    void anUnknownPrestoDbTransactionGetsTheGatewaysError()
    {
        String transactionId = UUID.randomUUID().toString();
        TransactionStatement unknown = run(gateway.baseUri(), "SELECT 1", transactionId, "unknown", null);
        assertThat(unknown.state()).isEqualTo("FAILED");
        assertThat(unknown.errorName()).isEqualTo("SWITCHBOARD_TRANSACTION_UNAVAILABLE");
        assertThat(unknown.error()).startsWith("Transaction " + transactionId + " is not open on any cluster of the gateway");
        // never silently run outside its transaction
        assertThat(recorders.values()).allSatisfy(recorder -> assertThat(recorder.received()).noneMatch(headers -> "unknown".equals(headers.get("X-Presto-Source"))));
    }

    @Test
    void theClientTagsAndSessionPropertiesOfARuleReachPrestoDb()
    {
        HttpResponse<String> added = gateway.send("POST", "/api/v1/routing-rules", """
                {"name": "presto-rule-headers", "priority": 10, "condition": "source == 'rule-headers'", "routingGroup": "adhoc",
                 "addClientTags": ["via-gateway"], "setSessionProperties": {"query_max_run_time": "7m"}}
                """);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        try {
            assertEventually(Duration.ofSeconds(10), () -> {
                HttpResponse<String> submitted = TestingGateway.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/statement"))
                        .header("X-Presto-User", USER)
                        .header("X-Presto-Source", "rule-headers")
                        .header("X-Presto-Client-Tags", "team-a")
                        .header("X-Presto-Session", "query_max_run_time=1h,query_max_execution_time=30m")
                        .POST(HttpRequest.BodyPublishers.ofString("SELECT 1", UTF_8))
                        .build());
                JsonNode results = json(submitted.body());
                String queryId = results.get("id").asText();
                while (results.hasNonNull("nextUri")) {
                    results = json(get(URI.create(results.get("nextUri").asText())).body());
                }
                assertThat(results.has("error")).as("error: %s", results.get("error")).isFalse();
                JsonNode session = clusterOf(queryId).getValue().get("session");
                // the rule's value replaces the client's own, and the client's other properties stay
                assertThat(session.at("/systemProperties/query_max_run_time").asText()).isEqualTo("7m");
                assertThat(session.at("/systemProperties/query_max_execution_time").asText()).isEqualTo("30m");
                List<String> tags = new ArrayList<>();
                session.get("clientTags").forEach(tag -> tags.add(tag.asText()));
                assertThat(tags).containsExactlyInAnyOrder("team-a", "via-gateway");
            });
        }
        finally {
            gateway.send("DELETE", "/api/v1/routing-rules/presto-rule-headers", null);
        }
    }

    private static Properties properties()
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        return properties;
    }

    private static String query(Connection connection, String sql, List<String> queryIds)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            queryIds.add(resultSet.unwrap(PrestoResultSet.class).getQueryId());
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1);
        }
    }

    /**
     * The cluster that knows the query, and its query info there.
     */
    private Map.Entry<String, JsonNode> clusterOf(String queryId)
    {
        List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
        prestos.forEach((name, presto) -> {
            HttpResponse<String> info = get(presto.baseUri().resolve("/v1/query/" + queryId));
            if (info.statusCode() == 200) {
                found.add(Map.entry(name, json(info.body())));
            }
        });
        assertThat(found).as("clusters that ran query %s", queryId).hasSize(1);
        return found.getFirst();
    }

    /**
     * The {@code X-Presto-Extra-Credential} values of each statement of the client source, in order.
     */
    private List<List<String>> receivedCredentials(String source)
    {
        return recorders.values().stream()
                .flatMap(recorder -> recorder.received().stream())
                .filter(headers -> source.equals(headers.get("X-Presto-Source")))
                .map(headers -> headers.getValuesList("X-Presto-Extra-Credential").stream()
                        .flatMap(value -> List.of(value.split(",")).stream())
                        .map(String::trim)
                        .toList())
                .toList();
    }

    private record TransactionStatement(String state, String errorName, String error, Optional<String> startedTransactionId, boolean cleared) {}

    /**
     * Runs one statement as a PrestoDB client does, with {@code X-Presto-Transaction-Id}, reading
     * the transaction headers of every response.
     */
    private static TransactionStatement run(URI server, String sql, String transactionId, String source, String extraCredential)
    {
        HttpRequest.Builder submit = HttpRequest.newBuilder(server.resolve("/v1/statement"))
                .header("X-Presto-User", USER)
                .header("X-Presto-Source", source)
                .header("X-Presto-Transaction-Id", transactionId)
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8));
        if (extraCredential != null) {
            submit.header("X-Presto-Extra-Credential", extraCredential);
        }
        HttpResponse<String> response = TestingGateway.send(submit.build());
        Optional<String> started = response.headers().firstValue("X-Presto-Started-Transaction-Id");
        boolean cleared = response.headers().firstValue("X-Presto-Clear-Transaction-Id").isPresent();
        JsonNode results = json(response.body());
        while (results.hasNonNull("nextUri")) {
            // as presto-jdbc, the polls carry no transaction header
            HttpResponse<String> next = get(URI.create(results.get("nextUri").asText()));
            if (started.isEmpty()) {
                started = next.headers().firstValue("X-Presto-Started-Transaction-Id");
            }
            cleared |= next.headers().firstValue("X-Presto-Clear-Transaction-Id").isPresent();
            results = json(next.body());
        }
        return new TransactionStatement(results.at("/stats/state").asText(), results.at("/error/errorName").asText(), results.at("/error/message").asText(), started, cleared);
    }

    private static HttpResponse<String> get(URI uri)
    {
        return TestingGateway.send(HttpRequest.newBuilder(uri).header("X-Presto-User", USER).GET().build());
    }

    /**
     * A pass-through HTTP proxy in front of a PrestoDB coordinator (PrestoDB logs no request
     * headers): it keeps the headers of every statement submitted to the coordinator.
     */
    private static final class StatementRecorder
            implements AutoCloseable
    {
        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);
        private final List<HttpFields> received = new CopyOnWriteArrayList<>();

        StatementRecorder(URI target)
                throws Exception
        {
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new ProxyHandler.Reverse(request -> HttpURI.build(request.getHttpURI()).scheme(target.getScheme()).host(target.getHost()).port(target.getPort()))
            {
                @Override
                protected void copyRequestHeaders(Request request, org.eclipse.jetty.client.Request proxyRequest)
                {
                    super.copyRequestHeaders(request, proxyRequest);
                    // PrestoDB builds its nextUri on the Host: the gateway's, as the gateway sent it
                    proxyRequest.headers(headers -> headers.put(HttpHeader.HOST, request.getHeaders().get(HttpHeader.HOST)));
                    if ("POST".equals(request.getMethod()) && request.getHttpURI().getPath().equals("/v1/statement")) {
                        received.add(HttpFields.build(request.getHeaders()).asImmutable());
                    }
                }
            });
            server.start();
        }

        URI baseUri()
        {
            return URI.create("http://127.0.0.1:" + connector.getLocalPort());
        }

        List<HttpFields> received()
        {
            return received;
        }

        @Override
        public void close()
                throws Exception
        {
            server.stop();
        }
    }
}
