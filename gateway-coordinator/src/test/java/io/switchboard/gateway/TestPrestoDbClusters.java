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

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testing.PrestoDbCli;
import io.switchboard.testing.PrestoDbServer;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoCli;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * A real PrestoDB 0.287 coordinator and a real Trino 476 coordinator in one routing group behind
 * the gateway, with PrestoDB's and Trino's own CLIs: each client reaches the engine whose
 * protocol it speaks, and every request of a PrestoDB query reaches the PrestoDB cluster although
 * PrestoDB ignores the gateway's {@code X-Forwarded-Prefix}.
 */
@TestInstance(PER_CLASS)
final class TestPrestoDbClusters
{
    private static final String USER = "presto-user";
    private static final String LARGE_QUERY = "SELECT * FROM tpch.sf1.lineitem ORDER BY orderkey, linenumber LIMIT 100000";

    private TestingMysql mysql;
    private PrestoDbServer presto;
    private TrinoServer trino;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        try {
            mysql = TestingMysql.start();
            CompletableFuture<TrinoServer> startingTrino = CompletableFuture.supplyAsync(() -> TrinoServer.builder("trino-1").start());
            presto = PrestoDbServer.start("presto-1");
            trino = startingTrino.join();
            System.out.printf("PrestoDB 0.287 started in %s ms (pid %s)%n", presto.startTime().toMillis(), presto.pid());
            gateway = new TestingGateway(mysql, Map.of());
            gateway.addCluster(trino, "adhoc");
            addCluster("presto-1", presto.baseUri(), "adhoc", "prestodb");
            // the same coordinator once more, alone in a group of its own
            addCluster("presto-only", presto.baseUri(), "presto", "prestodb");
        }
        catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, trino, presto, mysql);
    }

    @Test
    void clusterApisShowTheKind()
    {
        JsonNode clusters = json(gateway.send("GET", "/api/v1/clusters", null).body());
        Map<String, String> kinds = new HashMap<>();
        clusters.forEach(cluster -> kinds.put(cluster.get("name").asText(), cluster.get("kind").asText()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("trino-1", "trino", "presto-1", "prestodb", "presto-only", "prestodb"));

        JsonNode backends = json(gateway.send("GET", "/gateway/backend/all", null).body());
        Map<String, String> compatKinds = new HashMap<>();
        backends.forEach(backend -> compatKinds.put(backend.get("name").asText(), backend.get("kind").asText()));
        assertThat(compatKinds).isEqualTo(kinds);

        // the presto-gateway API registers a PrestoDB backend, and an update without a kind keeps it
        assertThat(gateway.send("POST", "/gateway/backend/modify/add", """
                {"name": "presto-compat", "proxyTo": "%s", "active": false, "routingGroup": "compat", "kind": "prestodb"}
                """.formatted(presto.baseUri())).statusCode()).isEqualTo(200);
        assertThat(gateway.send("POST", "/gateway/backend/modify/update", """
                {"name": "presto-compat", "proxyTo": "%s", "active": false, "routingGroup": "compat"}
                """.formatted(presto.baseUri())).statusCode()).isEqualTo(200);
        assertThat(json(gateway.send("GET", "/api/v1/clusters/presto-compat", null).body()).get("kind").asText()).isEqualTo("prestodb");
        assertThat(gateway.send("DELETE", "/api/v1/clusters/presto-compat", null).statusCode()).isEqualTo(204);

        assertThat(gateway.send("POST", "/api/v1/clusters", """
                {"name": "bad-kind", "proxyUrl": "http://127.0.0.1:1", "routingGroup": "adhoc", "kind": "hive"}
                """).body()).contains("kind must be 'trino' or 'prestodb', was 'hive'");
    }

    @Test
    void prestoDbClusterPassesTheHealthProbe()
    {
        assertEventually(Duration.ofSeconds(30), () -> {
            JsonNode cluster = json(gateway.send("GET", "/api/v1/clusters/presto-1", null).body());
            assertThat(cluster.at("/health/state").asText()).isEqualTo("HEALTHY");
            assertThat(cluster.get("acceptingQueries").asBoolean()).isTrue();
        });
    }

    @Test
    void eachCliReachesTheEngineOfItsProtocol()
            throws Exception
    {
        assertThat(PrestoDbCli.execute(gateway.baseUri(), USER, "SELECT count(*), min(node_version) FROM system.runtime.nodes"))
                .isEqualTo("\"1\",\"0.287-b8952fa\"\n");
        assertThat(TrinoCli.execute(gateway.baseUri(), "trino-user", List.of(), "SELECT count(*), min(node_version) FROM system.runtime.nodes"))
                .isEqualTo("\"1\",\"476\"\n");
        assertThat(PrestoDbCli.execute(gateway.baseUri(), USER, "SELECT name FROM tpch.tiny.nation WHERE nationkey = 7")).isEqualTo("\"GERMANY\"\n");
    }

    @Test
    void largeResultIsIdenticalThroughTheGatewayAndDirectly()
            throws Exception
    {
        long start = System.nanoTime();
        String direct = PrestoDbCli.execute(presto.baseUri(), USER, LARGE_QUERY);
        long directMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        String throughGateway = PrestoDbCli.execute(gateway.baseUri(), USER, LARGE_QUERY);
        long gatewayMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("100000 lineitem rows (%s bytes of CSV) with the PrestoDB CLI: directly %s ms, through the gateway %s ms%n", direct.length(), directMillis, gatewayMillis);
        assertThat(direct.lines().count()).isEqualTo(100_000);
        assertThat(throughGateway).isEqualTo(direct);
    }

    @Test
    void prestoErrorsReachTheClientAsPrestoDbSentThem()
            throws Exception
    {
        for (String sql : List.of("SELEC 1", "SELECT * FROM tpch.tiny.no_such_table")) {
            PrestoDbCli.Result direct = PrestoDbCli.run(presto.baseUri(), USER, sql);
            PrestoDbCli.Result throughGateway = PrestoDbCli.run(gateway.baseUri(), USER, sql);
            assertThat(direct.exitCode()).isNotZero();
            assertThat(throughGateway.exitCode()).isEqualTo(direct.exitCode());
            // "Query <id> failed: <message>": the ids differ
            assertThat(failure(throughGateway.errors())).isEqualTo(failure(direct.errors())).isNotEmpty();
        }
        assertThat(failure(PrestoDbCli.run(gateway.baseUri(), USER, "SELECT * FROM tpch.tiny.no_such_table").errors()))
                .contains("Table tpch.tiny.no_such_table does not exist");

        JsonNode error = follow(submit(gateway.baseUri(), "SELEC 1", null)).get("error");
        assertThat(error.get("errorName").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(error.get("errorType").asText()).isEqualTo("USER_ERROR");
    }

    @Test
    void everyPageOfAPrestoDbQueryComesBackToTheGatewayAndReachesItsCluster()
    {
        HttpResponse<String> submitted = submit(gateway.baseUri(), "SELECT orderkey, comment FROM tpch.tiny.orders", null);
        assertThat(submitted.statusCode()).isEqualTo(200);
        JsonNode results = json(submitted.body());
        String queryId = results.get("id").asText();
        assertThat(results.get("infoUri").asText()).isEqualTo(gateway.baseUri() + "/ui/query.html?" + queryId);
        Set<String> columnsSeen = new HashSet<>();
        long rows = 0;
        int pages = 0;
        List<String> nextUris = new ArrayList<>();
        while (results.hasNonNull("nextUri")) {
            String nextUri = results.get("nextUri").asText();
            nextUris.add(nextUri);
            HttpResponse<String> page = get(URI.create(nextUri));
            assertThat(page.statusCode()).as("page %s", nextUri).isEqualTo(200);
            results = json(page.body());
            assertThat(results.get("id").asText()).isEqualTo(queryId);
            if (results.has("columns")) {
                results.get("columns").forEach(column -> columnsSeen.add(column.get("name").asText()));
            }
            rows += results.path("data").size();
            pages++;
        }
        assertThat(results.has("error")).as("error: %s", results.get("error")).isFalse();
        assertThat(rows).isEqualTo(15_000);
        assertThat(columnsSeen).containsExactlyInAnyOrder("orderkey", "comment");
        assertThat(pages).isGreaterThan(1);
        // PrestoDB built every URI on the gateway's address: the client never talks to the cluster itself
        assertThat(nextUris).allMatch(uri -> uri.startsWith(gateway.baseUri() + "/v1/statement/"));
        // the query ran on the PrestoDB cluster, and the gateway's query page finds it there
        assertThat(get(presto.baseUri().resolve("/v1/query/" + queryId)).statusCode()).isEqualTo(200);
        HttpResponse<String> info = get(gateway.baseUri().resolve("/v1/query/" + queryId));
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(json(info.body()).at("/session/user").asText()).isEqualTo(USER);
    }

    @Test
    void concurrentQueriesOfBothProtocolsInOneGroupStayOnTheirClusters()
    {
        List<CompletableFuture<Long>> queries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queries.add(CompletableFuture.supplyAsync(() -> countRows(submit(gateway.baseUri(), "SELECT * FROM tpch.tiny.customer", null))));
            queries.add(CompletableFuture.supplyAsync(() -> countTrinoRows(TrinoHttp.submit(gateway.baseUri(), "SELECT * FROM tpch.tiny.customer", "trino-user", null))));
        }
        assertThat(queries).allSatisfy(query -> assertThat(query.join()).isEqualTo(1_500));
    }

    @Test
    void admissionControlPlacesEachClientOnTheEngineOfItsProtocol()
            throws Exception
    {
        // a second gateway on the same database, so with the same clusters, under admission control
        try (TestingGateway admitting = new TestingGateway(mysql, Map.of("admission.enabled", "true"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(countRows(submit(admitting.baseUri(), "SELECT * FROM tpch.tiny.nation", null))).isEqualTo(25);
                assertThat(countTrinoRows(TrinoHttp.submit(admitting.baseUri(), "SELECT * FROM tpch.tiny.nation", "trino-user", null))).isEqualTo(25);
            }
            assertThat(PrestoDbCli.execute(admitting.baseUri(), USER, "SELECT min(node_version) FROM system.runtime.nodes")).isEqualTo("\"0.287-b8952fa\"\n");
            // the last page of each query, PrestoDB's polls included, freed its slot
            assertEventually(Duration.ofSeconds(10), () -> assertThat(json(admitting.send("GET", "/api/v1/queue", null).body()).get("runningByCluster").size()).isZero());
            assertThat(json(admitting.send("GET", "/api/v1/queue", null).body()).at("/counters/admitted").asLong()).isEqualTo(7);
        }
    }

    @Test
    void aClientOfOneEngineGetsAClearErrorInAGroupOfTheOtherEngineOnly()
    {
        // a group of PrestoDB clusters only has no cluster for a Trino client: it falls back to the default group
        assertThat(countTrinoRows(TrinoHttp.submit(gateway.baseUri(), "SELECT * FROM tpch.tiny.region", "trino-user", "presto"))).isEqualTo(5);

        assertThat(gateway.send("PUT", "/api/v1/routing-rules/groups/presto", "{\"isolated\": true}").statusCode()).isBetween(200, 204);
        try {
            assertEventually(Duration.ofSeconds(10), () -> assertThat(json(TrinoHttp.submit(gateway.baseUri(), "SELECT 1", "trino-user", "presto").body()).at("/error/message").asText())
                    .startsWith("No active cluster in routing group 'presto' (the group is isolated: its queries never run elsewhere). " +
                            "The client speaks the Trino (X-Trino-* headers) protocol, and the group has clusters of the other engine only"));
        }
        finally {
            gateway.send("DELETE", "/api/v1/routing-rules/groups/presto", null);
        }

        // the group the PrestoDB client names itself
        JsonNode prestoClientResults = follow(submit(gateway.baseUri(), "SELECT 42", "presto"));
        assertThat(prestoClientResults.has("error")).isFalse();
    }

    private long countRows(HttpResponse<String> submitted)
    {
        JsonNode results = json(submitted.body());
        long rows = 0;
        while (results.hasNonNull("nextUri")) {
            results = json(get(URI.create(results.get("nextUri").asText())).body());
            assertThat(results.has("error")).as("error: %s", results.get("error")).isFalse();
            rows += results.path("data").size();
        }
        return rows;
    }

    private static long countTrinoRows(HttpResponse<String> submitted)
    {
        JsonNode results = json(submitted.body());
        long rows = 0;
        while (results.hasNonNull("nextUri")) {
            assertThat(results.get("nextUri").asText()).contains("/cluster/trino-1/");
            results = json(TrinoHttp.get(URI.create(results.get("nextUri").asText()), "trino-user").body());
            assertThat(results.has("error")).as("error: %s", results.get("error")).isFalse();
            rows += results.path("data").size();
        }
        return rows;
    }

    private JsonNode follow(HttpResponse<String> submitted)
    {
        JsonNode results = json(submitted.body());
        while (results.hasNonNull("nextUri")) {
            results = json(get(URI.create(results.get("nextUri").asText())).body());
        }
        return results;
    }

    private static HttpResponse<String> submit(URI server, String sql, String routingGroup)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve("/v1/statement"))
                .header("X-Presto-User", USER)
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8));
        if (routingGroup != null) {
            request.header("X-Presto-Routing-Group", routingGroup);
        }
        return TestingGateway.send(request.build());
    }

    private static HttpResponse<String> get(URI uri)
    {
        return TestingGateway.send(HttpRequest.newBuilder(uri).header("X-Presto-User", USER).GET().build());
    }

    private void addCluster(String name, URI proxyUrl, String routingGroup, String kind)
    {
        HttpResponse<String> response = gateway.send("POST", "/api/v1/clusters", """
                {"name": "%s", "proxyUrl": "%s", "routingGroup": "%s", "kind": "%s"}
                """.formatted(name, proxyUrl, routingGroup, kind));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static String failure(String cliErrors)
    {
        return cliErrors.lines()
                .filter(line -> line.startsWith("Query ") && line.contains(" failed: "))
                .map(line -> line.substring(line.indexOf(" failed: ")))
                .findFirst()
                .orElse("");
    }
}
