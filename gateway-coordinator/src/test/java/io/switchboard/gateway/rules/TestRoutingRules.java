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
package io.switchboard.gateway.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.io.Resources;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoCli;
import io.switchboard.testing.TrinoServer;
import io.trino.jdbc.TrinoStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Routing rules end to end: three real Trino 476 clusters in three groups behind the gateway,
 * rules stored through the API, and real trino-jdbc and Trino CLI clients. Where a query ran is
 * read from the clusters themselves.
 */
@TestInstance(PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestRoutingRules
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestingMysql mysql;
    private TrinoServer etl;
    private TrinoServer interactive;
    private TrinoServer adhoc;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        CompletableFuture<TrinoServer> etlStart = CompletableFuture.supplyAsync(() -> TrinoServer.builder("etl-1").start());
        CompletableFuture<TrinoServer> interactiveStart = CompletableFuture.supplyAsync(() -> TrinoServer.builder("bi-1").start());
        adhoc = TrinoServer.builder("adhoc-1").start();
        etl = etlStart.join();
        interactive = interactiveStart.join();
        gateway = new TestingGateway(mysql, Map.of("routing.client-group-allowed", "false"));
        gateway.addCluster(etl, "etl");
        gateway.addCluster(interactive, "interactive");
        gateway.addCluster(adhoc, "adhoc");
        addRule("{\"name\": \"auditors\", \"priority\": 5, \"condition\": \"user == 'auditor'\", \"routingGroup\": \"secure\"}");
        addRule("{\"name\": \"reports\", \"priority\": 6, \"condition\": \"source == 'reports'\", \"routingGroup\": \"reporting\"}");
        addRule("{\"name\": \"airflow-to-etl\", \"priority\": 10, \"condition\": \"source == 'airflow'\", \"routingGroup\": \"etl\"}");
        addRule("{\"name\": \"bi-users\", \"priority\": 20, \"condition\": \"user.startsWith('bi_')\", \"routingGroup\": \"interactive\"}");
        addRule("{\"name\": \"batch-tag\", \"priority\": 30, \"condition\": \"'batch' in client_tags\", \"routingGroup\": \"etl\"}");
        addRule("{\"name\": \"orders-readers\", \"priority\": 40, \"condition\": \"'tpch.tiny.orders' in tables_read\", \"routingGroup\": \"interactive\"}");
        addRule("{\"name\": \"ctas-to-etl\", \"priority\": 50, \"condition\": \"statement_type == 'CREATE_TABLE_AS'\", \"routingGroup\": \"etl\"}");
        assertThat(gateway.send("PUT", "/api/v1/routing-rules/groups/secure", "{\"isolated\": true}").statusCode()).isEqualTo(200);
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, adhoc, interactive, etl, mysql);
    }

    @Test
    @Order(1)
    void jdbcQueriesRouteBySourceUserClientTagsTableReadAndStatementType()
            throws Exception
    {
        assertJdbcRoute(Map.of("user", "alice", "source", "airflow"), "SELECT '%s'", etl, "airflow-to-etl");
        assertJdbcRoute(Map.of("user", "bi_carol"), "SELECT '%s'", interactive, "bi-users");
        assertJdbcRoute(Map.of("user", "alice", "clientTags", "nightly,batch"), "SELECT '%s'", etl, "batch-tag");
        assertJdbcRoute(Map.of("user", "alice"), "SELECT count(*), '%s' FROM tpch.tiny.orders", interactive, "orders-readers");
        // resolved against the catalog and schema of the connection
        assertJdbcRoute(Map.of("user", "alice", "catalog", "tpch", "schema", "tiny"), "SELECT count(*), '%s' FROM orders", interactive, "orders-readers");
        String table = "memory.default.t_" + UUID.randomUUID().toString().replace("-", "");
        assertJdbcRoute(Map.of("user", "alice"), "CREATE TABLE " + table + " AS SELECT '%s' AS marker", etl, "ctas-to-etl");
        // no rule matches: the default group, whatever group the client asks for (clients may not choose here)
        assertJdbcRoute(Map.of("user", "alice"), "SELECT '%s'", adhoc, null);
    }

    @Test
    @Order(2)
    void cliQueriesRouteByRules()
            throws Exception
    {
        assertCliRoute("alice", List.of("--source", "airflow"), etl);
        assertCliRoute("alice", List.of("--client-tags", "batch"), etl);
        assertCliRoute("bi_dave", List.of(), interactive);
        assertCliRoute("alice", List.of(), adhoc);
    }

    @Test
    @Order(3)
    void groupWithoutClustersFallsBackUnlessIsolated()
            throws Exception
    {
        // "reporting" has no cluster and no policy: its fallback is the default group
        assertJdbcRoute(Map.of("user", "alice", "source", "reports"), "SELECT '%s'", adhoc, "reports");
        // "secure" is isolated: refused with a Trino error that names the group
        Properties properties = new Properties();
        properties.setProperty("user", "auditor");
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("routing group 'secure'")
                    .hasMessageContaining("isolated");
        }
    }

    @Test
    @Order(4)
    void badRulesAreRefusedByNameAndChangeNothing()
            throws Exception
    {
        long versions = json(gateway.send("GET", "/api/v1/routing-rules/versions", null).body()).size();
        assertRefused("{\"name\": \"typo\", \"priority\": 1, \"condition\": \"source == 'x' &&\", \"routingGroup\": \"etl\"}", "Rule 'typo'", "line 1");
        assertRefused("{\"name\": \"unknown-fact\", \"priority\": 1, \"condition\": \"sorce == 'airflow'\", \"routingGroup\": \"etl\"}", "Rule 'unknown-fact'", "undeclared reference to 'sorce'");
        assertRefused("{\"name\": \"java\", \"priority\": 1, \"condition\": \"java.lang.System.exit(0) == 0\", \"routingGroup\": \"etl\"}", "Rule 'java'", "undeclared reference");
        assertRefused("{\"name\": \"throws\", \"priority\": 1, \"condition\": \"1 / 0 == 1\", \"routingGroup\": \"etl\"}", "Rule 'throws'", "fails even on a query with every fact present");
        assertRefused("{\"name\": \"not-boolean\", \"priority\": 1, \"condition\": \"source\", \"routingGroup\": \"etl\"}", "Rule 'not-boolean'", "expected type 'bool'");
        assertRefused("{\"name\": \"bad-group\", \"priority\": 1, \"condition\": \"true\", \"routingGroup\": \"no such group!\"}", "Rule 'bad-group'", "not a routing group name");
        assertThat(json(gateway.send("GET", "/api/v1/routing-rules/versions", null).body()).size()).isEqualTo(versions);
        assertThat(json(gateway.send("GET", "/api/v1/routing-rules", null).body()).path("rules").size()).isEqualTo(7);
        assertJdbcRoute(Map.of("user", "alice", "source", "airflow"), "SELECT '%s'", etl, "airflow-to-etl");
    }

    @Test
    @Order(5)
    void dryRunExplainsTheDecisionWithoutRunningAnything()
    {
        HttpResponse<String> response = gateway.send("POST", "/api/v1/routing-rules/evaluate", """
                {"headers": {"X-Trino-User": "bi_erin", "X-Trino-Catalog": "tpch", "X-Trino-Schema": "tiny"}, "sql": "SELECT * FROM orders JOIN tpch.sf1.customer c ON true"}
                """);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = json(response.body());
        assertThat(result.path("facts").path("user").asText()).isEqualTo("bi_erin");
        assertThat(result.path("facts").path("tables_read")).extracting(JsonNode::asText).containsExactlyInAnyOrder("tpch.tiny.orders", "tpch.sf1.customer");
        assertThat(result.path("rules")).extracting(rule -> rule.path("rule").asText() + "=" + rule.path("outcome").asText()).containsExactly(
                "auditors=NOT_MATCHED",
                "reports=NOT_MATCHED",
                "airflow-to-etl=NOT_MATCHED",
                "bi-users=MATCHED",
                "batch-tag=NOT_EVALUATED",
                "orders-readers=NOT_EVALUATED",
                "ctas-to-etl=NOT_EVALUATED");
        assertThat(result.path("routingGroup").asText()).isEqualTo("interactive");
        assertThat(result.path("rule").asText()).isEqualTo("bi-users");
        assertThat(result.path("clusters")).extracting(JsonNode::asText).containsExactly("bi-1");
        JsonNode counters = json(gateway.send("GET", "/api/v1/routing-rules", null).body()).path("counters");
        assertThat(counters.path("bi-users").path("matches").asLong()).as("a dry run counts nothing").isEqualTo(2);
    }

    @Test
    @Order(6)
    void ruleChangedOnOneReplicaRoutesOnTheOtherAndBothKeepRoutingWithoutMysql()
            throws Exception
    {
        try (TestingGateway second = new TestingGateway(mysql, Map.of("routing.client-group-allowed", "false"))) {
            assertCliRoute(second.baseUri(), "alice", List.of("--source", "airflow"), etl);
            assertThat(gateway.send("PUT", "/api/v1/routing-rules/airflow-to-etl",
                    "{\"name\": \"airflow-to-etl\", \"priority\": 10, \"condition\": \"source == 'airflow'\", \"routingGroup\": \"interactive\"}").statusCode()).isEqualTo(200);
            assertEventually(Duration.ofSeconds(5), () -> assertThat(dryRunGroup(second, "airflow")).isEqualTo("interactive"));
            assertCliRoute(second.baseUri(), "alice", List.of("--source", "airflow"), interactive);

            // roll back on the second replica: the first follows
            long before = json(second.send("GET", "/api/v1/routing-rules/versions", null).body()).get(1).path("version").asLong();
            assertThat(second.send("POST", "/api/v1/routing-rules/versions/" + before + "/rollback", null).statusCode()).isEqualTo(200);
            assertEventually(Duration.ofSeconds(5), () -> assertThat(dryRunGroup(gateway, "airflow")).isEqualTo("etl"));
            JsonNode audit = json(gateway.send("GET", "/api/v1/audit?limit=5", null).body());
            assertThat(audit.toString()).contains("ROLLBACK_ROUTING_RULES").contains("UPDATE_ROUTING_RULE");

            mysql.stopServer();
            try {
                assertCliRoute(gateway.baseUri(), "alice", List.of("--source", "airflow"), etl);
                assertCliRoute(second.baseUri(), "bi_frank", List.of(), interactive);
            }
            finally {
                mysql.startServer();
            }
        }
    }

    /**
     * The first example of trino-gateway's routing rules documentation, as its users have it in
     * a file: imported unchanged, it routes as that documentation says.
     */
    @Test
    @Order(7)
    void trinoGatewayRulesFileFromItsDocumentationRoutesAsDocumented()
            throws Exception
    {
        String yaml = Resources.toString(Resources.getResource(getClass(), "trino-gateway-t1.yaml"), UTF_8);
        HttpResponse<String> imported = gateway.send("POST", "/api/v1/routing-rules/import", MAPPER.writeValueAsString(Map.of("yaml", yaml)));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        // the group of the special label has no cluster here: send it to the interactive clusters to see that it was chosen
        assertThat(gateway.send("PUT", "/api/v1/routing-rules/groups/etl-special", "{\"fallback\": \"interactive\"}").statusCode()).isEqualTo(200);

        assertJdbcRoute(Map.of("user", "alice", "source", "airflow"), "SELECT '%s'", etl, "airflow");
        assertJdbcRoute(Map.of("user", "alice", "source", "airflow", "clientTags", "label=special"), "SELECT '%s'", interactive, "airflow special");
        assertJdbcRoute(Map.of("user", "alice", "source", "superset"), "SELECT '%s'", adhoc, null);
        assertCliRoute("alice", List.of("--source", "airflow", "--client-tags", "label=special"), interactive);
    }

    /**
     * A rule's queue priority and admission class: stored with the rule, shown by the API and
     * by the dry run; the first matching rule that sets them decides.
     */
    @Test
    @Order(8)
    void queuePriorityAndAdmissionClassAreStoredAndShownByTheDryRun()
    {
        addRule("{\"name\": \"etl-first\", \"priority\": 1, \"condition\": \"user == 'etl'\", \"continue\": true, \"queuePriority\": 10}");
        addRule("{\"name\": \"dashboards\", \"priority\": 2, \"condition\": \"source == 'dashboards'\", \"routingGroup\": \"interactive\", \"queuePriority\": -1, \"admissionClass\": \"reports\"}");
        assertRefused("{\"name\": \"bad-class\", \"priority\": 1, \"condition\": \"true\", \"admissionClass\": \"reports:5\"}", "Rule 'bad-class'", "not an admission class name");
        HttpResponse<String> notANumber = gateway.send("POST", "/api/v1/routing-rules", "{\"name\": \"bad-priority\", \"priority\": 1, \"condition\": \"true\", \"queuePriority\": \"high\"}");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(json(notANumber.body()).path("error").asText()).contains("field 'queuePriority' must be");

        JsonNode stored = json(gateway.send("GET", "/api/v1/routing-rules/dashboards", null).body());
        assertThat(stored.path("queuePriority").asInt()).isEqualTo(-1);
        assertThat(stored.path("admissionClass").asText()).isEqualTo("reports");
        JsonNode airflow = json(gateway.send("GET", "/api/v1/routing-rules/airflow", null).body());
        assertThat(airflow.has("queuePriority")).as("a rule that sets none shows none: %s", airflow).isFalse();
        assertThat(airflow.has("admissionClass")).isFalse();
        long version = json(gateway.send("GET", "/api/v1/routing-rules/versions", null).body()).get(0).path("version").asLong();
        assertThat(json(gateway.send("GET", "/api/v1/routing-rules/versions/" + version, null).body()).toString())
                .contains("\"queuePriority\":10")
                .contains("\"admissionClass\":\"reports\"");

        JsonNode both = json(gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-User\": \"etl\", \"X-Trino-Source\": \"dashboards\"}}").body());
        assertThat(both.path("routingGroup").asText()).isEqualTo("interactive");
        assertThat(both.path("queuePriority").asInt()).as("the first rule that sets it: %s", both).isEqualTo(10);
        assertThat(both.path("admissionClass").asText()).isEqualTo("reports");
        JsonNode dashboards = json(gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-User\": \"alice\", \"X-Trino-Source\": \"dashboards\"}}").body());
        assertThat(dashboards.path("queuePriority").asInt()).isEqualTo(-1);
        JsonNode nobody = json(gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-User\": \"alice\"}}").body());
        assertThat(nobody.path("queuePriority").asInt()).isEqualTo(0);
        assertThat(nobody.has("admissionClass")).as(nobody.toString()).isFalse();

        assertThat(gateway.send("PUT", "/api/v1/routing-rules/dashboards",
                "{\"name\": \"dashboards\", \"priority\": 2, \"condition\": \"source == 'dashboards'\", \"routingGroup\": \"interactive\"}").statusCode()).isEqualTo(200);
        JsonNode updated = json(gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-User\": \"alice\", \"X-Trino-Source\": \"dashboards\"}}").body());
        assertThat(updated.path("queuePriority").asInt()).isEqualTo(0);
        assertThat(updated.has("admissionClass")).isFalse();
        assertThat(gateway.send("DELETE", "/api/v1/routing-rules/etl-first", null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("DELETE", "/api/v1/routing-rules/dashboards", null).statusCode()).isEqualTo(200);
    }

    private void addRule(String rule)
    {
        HttpResponse<String> response = gateway.send("POST", "/api/v1/routing-rules", rule);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private void assertRefused(String rule, String... messageParts)
    {
        HttpResponse<String> response = gateway.send("POST", "/api/v1/routing-rules", rule);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response.body()).path("error").asText()).contains(messageParts).contains("nothing was changed");
    }

    private static String dryRunGroup(TestingGateway gateway, String source)
    {
        return json(gateway.send("POST", "/api/v1/routing-rules/evaluate", "{\"headers\": {\"X-Trino-Source\": \"" + source + "\"}, \"sql\": \"SELECT 1\"}").body())
                .path("routingGroup").asText();
    }

    private void assertJdbcRoute(Map<String, String> connectionProperties, String sqlWithMarker, TrinoServer expected, String expectedRule)
            throws SQLException
    {
        String marker = "marker-" + UUID.randomUUID();
        Properties properties = new Properties();
        properties.putAll(connectionProperties);
        AtomicReference<String> queryIdReference = new AtomicReference<>();
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> queryIdReference.set(stats.getQueryId()));
            if (statement.execute(sqlWithMarker.formatted(marker))) {
                try (ResultSet resultSet = statement.getResultSet()) {
                    while (resultSet.next()) {
                        assertThat(resultSet.getObject(1)).isNotNull();
                    }
                }
            }
        }
        String queryId = queryIdReference.get();
        assertThat(queryId).isNotNull();
        assertRanOnlyOn(expected, marker);
        assertEventually(Duration.ofSeconds(10), () -> {
            JsonNode details = json(gateway.send("GET", "/api/v1/queries/" + queryId, null).body());
            assertThat(details.path("clusterName").asText()).isEqualTo(expected.name());
            if (expectedRule == null) {
                assertThat(details.path("routingRule").isMissingNode() || details.path("routingRule").isNull()).as(details.toString()).isTrue();
            }
            else {
                assertThat(details.path("routingRule").asText()).isEqualTo(expectedRule);
            }
        });
    }

    private void assertCliRoute(String user, List<String> options, TrinoServer expected)
            throws Exception
    {
        assertCliRoute(gateway.baseUri(), user, options, expected);
    }

    private void assertCliRoute(URI server, String user, List<String> options, TrinoServer expected)
            throws Exception
    {
        String marker = "marker-" + UUID.randomUUID();
        assertThat(TrinoCli.execute(server, user, options, "SELECT '" + marker + "'")).contains(marker);
        assertRanOnlyOn(expected, marker);
    }

    private void assertRanOnlyOn(TrinoServer expected, String marker)
    {
        for (TrinoServer cluster : List.of(etl, interactive, adhoc)) {
            assertThat(ran(cluster, marker)).as("ran on %s", cluster.name()).isEqualTo(cluster == expected);
        }
    }

    /**
     * Whether the cluster ran a query whose text holds the marker, by the cluster's own query list.
     */
    private static boolean ran(TrinoServer cluster, String marker)
    {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(cluster.baseUri().resolve("/v1/query")).header("X-Trino-User", "test").GET().build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            return response.body().contains(marker);
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
