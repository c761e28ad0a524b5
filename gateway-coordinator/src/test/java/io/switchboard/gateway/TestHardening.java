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
import io.switchboard.gateway.RawHttp.Answer;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.switchboard.gateway.TrinoHttp.body;
import static io.switchboard.gateway.TrinoJdbc.singleValue;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The defects found by probing a running gateway from outside, each reproduced against a real
 * Trino 476 cluster and a real MariaDB: bad input gets a 4xx with a message and changes nothing.
 */
@TestInstance(PER_CLASS)
final class TestHardening
{
    private static final String JSON = "application/json";
    private static final int FUZZED_REQUESTS = 10_000;

    private TestingMysql mysql;
    private TrinoServer trino;
    private TrinoServer doomed;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        CompletableFuture<TrinoServer> first = CompletableFuture.supplyAsync(() -> memberCluster("hard-1", mysql).start());
        CompletableFuture<TrinoServer> second = CompletableFuture.supplyAsync(() -> TrinoServer.builder("doomed").withHeapSize("768M").start());
        trino = first.join();
        doomed = second.join();
        gateway = new TestingGateway(mysql, Map.of("routing.default-group", "adhoc"));
        gateway.addCluster(trino, "adhoc");
        gateway.addCluster(doomed, "doomed");
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, doomed, trino, mysql);
    }

    @Test
    void writesFromWebPagesOfAnotherOriginAreRefused()
    {
        String before = configuration();
        // the reproduction: a form post from another origin, no JSON, no body that means anything
        Answer forged = send("POST", "/api/v1/clusters/hard-1/drain", Map.of("Origin", "http://evil.example", "Content-Type", "application/x-www-form-urlencoded"), "x=1");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("another origin");
        // the same from another port of this host (a page on localhost) and as a browser labels it
        assertThat(send("POST", "/api/v1/clusters/hard-1/drain", Map.of("Origin", "http://127.0.0.1:1", "Content-Type", JSON), "").status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/clusters/hard-1/drain", Map.of("Sec-Fetch-Site", "same-site", "Content-Type", JSON), "").status()).isEqualTo(403);
        assertThat(send("POST", "/api/v1/clusters", Map.of("Origin", "null", "Content-Type", JSON), cluster("forged", "http://127.0.0.1:9", "adhoc")).status()).isEqualTo(403);
        // without Origin, the native API still wants JSON, which a page cannot send cross-origin without a preflight
        Answer form = send("POST", "/api/v1/clusters/hard-1/drain", Map.of("Content-Type", "text/plain"), "x");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.body()).contains("Content-Type: application/json");
        assertThat(send("POST", "/api/v1/clusters/hard-1/drain", Map.of(), null).status()).isEqualTo(415);
        // compat: the command works as presto-gateway documents it, a page of another origin cannot use it
        assertThat(send("POST", "/gateway/backend/deactivate/hard-1", Map.of("Origin", "http://evil.example"), null).status()).isEqualTo(403);
        assertThat(send("POST", "/gateway/backend/modify/add", Map.of("Origin", "http://evil.example", "Content-Type", "text/plain"),
                "{\"name\": \"forged\", \"proxyTo\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\"}").status()).isEqualTo(403);
        assertThat(configuration()).isEqualTo(before);

        // the gateway's own origin (the console), curl without Origin: accepted
        Answer sameOrigin = send("POST", "/gateway/backend/deactivate/hard-1", Map.of("Origin", "http://127.0.0.1:" + gateway.baseUri().getPort(), "Sec-Fetch-Site", "same-origin"), null);
        assertThat(sameOrigin.status()).isEqualTo(200);
        assertThat(send("POST", "/gateway/backend/activate/hard-1", Map.of("Content-Type", "application/x-www-form-urlencoded"), null).status()).isEqualTo(200);
        Answer curlAdd = send("POST", "/gateway/backend/modify/add", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "{\"name\": \"curl-added\", \"proxyTo\": \"http://127.0.0.1:9\", \"routingGroup\": \"parked\", \"active\": false}");
        assertThat(curlAdd.status()).isEqualTo(200);
        assertThat(send("POST", "/gateway/backend/modify/delete", Map.of("Content-Type", "application/x-www-form-urlencoded"), "curl-added").status()).isEqualTo(200);
        assertThat(clusters(configuration())).isEqualTo(clusters(before));
    }

    @Test
    void portOutOfRangeIsRefusedAndABadRowInMysqlBreaksNothingElse()
            throws Exception
    {
        String before = configuration();
        Answer refused = send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), cluster("bad-port", "http://127.0.0.1:70000", "broken"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("port out of range");
        assertThat(configuration()).isEqualTo(before);

        // a row an older gateway accepted (or an operator wrote by hand)
        mysql.execute("INSERT INTO clusters (name, proxy_url, external_url, routing_group, active, desired_state, weight) " +
                "VALUES ('bad-port', 'http://127.0.0.1:70000', 'http://127.0.0.1:70000', 'broken', TRUE, 'ACTIVE', 1)");
        try {
            // the gateway reads the clusters table every 500 ms here
            Thread.sleep(1_500);
            // the group (isolated: no fallback to the default group) gets an answer at once, instead of none at all
            assertThat(send("PUT", "/api/v1/routing-rules/groups/broken", Map.of("Content-Type", JSON), "{\"isolated\": true}").status()).isEqualTo(200);
            JsonNode submitted = body(TrinoHttp.submit(gateway.baseUri(), "SELECT 1", "port-user", "broken"));
            assertThat(submitted.at("/error/message").asText()).contains("No active cluster in routing group 'broken'");
            HttpResponse<String> prefixed = TrinoHttp.get(gateway.baseUri().resolve("/cluster/bad-port/v1/statement/executing/20260101_000000_00001_abcde/y/1"), "port-user");
            assertThat(body(prefixed).at("/error/message").asText()).contains("Cluster 'bad-port' is not configured");
            // the other clusters are probed and routed as before
            assertThat(scalar(gateway.jdbcUrl(), "SELECT 41 + 1")).isEqualTo("42");
            assertEventually(Duration.ofSeconds(20), () -> assertThat(clusterInfo("hard-1").at("/health/state").asText()).isEqualTo("HEALTHY"));
        }
        finally {
            mysql.execute("DELETE FROM clusters WHERE name = 'bad-port'");
        }
    }

    @Test
    void headersUpToTheGatewaysLimitReachTheCluster()
            throws Exception
    {
        Properties properties = new Properties();
        properties.setProperty("user", "header-user");
        properties.setProperty("clientInfo", "i".repeat(9_000));
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), properties);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT 1")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isEqualTo(1);
        }
        // over the gateway's own limit: refused by the gateway with 431, not sent on
        assertThat(send("GET", "/v1/info", Map.of("X-Trino-Client-Info", "i".repeat(40_000)), null).status()).isEqualTo(431);
    }

    @Test
    void urlsLongerThanTheirColumnAreRefusedWholeAndNothingIsWritten()
    {
        String before = configuration();
        Answer longUrl = send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), cluster("long-url", "http://127.0.0.1:9/" + "p".repeat(2_000), "adhoc"));
        assertThat(longUrl.status()).isEqualTo(400);
        assertThat(longUrl.body()).contains("proxyUrl must be at most 1024 characters");
        Answer huge = send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), cluster("huge-url", "http://127.0.0.1:9/" + "p".repeat(70_000), "adhoc"));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.body()).doesNotContain("INSERT").doesNotContain("audit_log");
        Answer compat = send("POST", "/gateway/backend/modify/add", Map.of(), "{\"name\": \"long-url\", \"proxyTo\": \"http://127.0.0.1:9/" + "p".repeat(2_000) + "\", \"routingGroup\": \"adhoc\"}");
        assertThat(compat.status()).isEqualTo(400);
        assertThat(configuration()).isEqualTo(before);
    }

    @Test
    void malformedJsonGetsA400NamingTheProblem()
    {
        String before = configuration();
        Map<String, String> bodies = Map.ofEntries(
                Map.entry("{\"name\": \"json-1\", \"proxyUrl\": \"http://127.0.0.1:9\"", "malformed JSON"),
                Map.entry("[{\"name\": \"json-1\"}]", "not a JSON object"),
                Map.entry("{\"name\": \"json-1\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\", \"active\": \"yes\"}", "field 'active' must be true or false"),
                Map.entry("{\"name\": \"json-1\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\", \"weight\": 1.5}", "field 'weight' must be an integer"),
                Map.entry("{\"name\": 5, \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\"}", "field 'name' must be a string"),
                Map.entry("{\"name\": \"json-1\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\", \"color\": \"red\"}", "unknown field 'color'"),
                Map.entry("{\"name\": \"json-1\", \"name\": \"json-2\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\"}", "Duplicate field 'name'"),
                Map.entry("{\"name\": \"json-1\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\"} {}", "content after the JSON value"),
                Map.entry("{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000), "unknown field 'a'"),
                Map.entry("{\"name\": \"json-1\", \"proxyUrl\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\", \"weight\": " + "[".repeat(3_000) + "]".repeat(3_000) + "}",
                        "field 'weight' must be an integer"),
                Map.entry("", "A JSON body is required"));
        bodies.forEach((body, message) -> {
            for (Answer answer : List.of(
                    send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), body),
                    send("PUT", "/api/v1/clusters/hard-1", Map.of("Content-Type", JSON), body))) {
                assertThat(answer.status()).as(body).isEqualTo(400);
                assertThat(answer.head()).contains("application/json");
                assertThat(answer.body()).as(body).contains(message)
                        .doesNotContain("io.switchboard").doesNotContain("jackson").doesNotContain("jersey").doesNotContain("Exception");
            }
        });
        Answer compat = send("POST", "/gateway/backend/modify/add", Map.of(), "{\"name\": \"json-1\", \"proxyTo\": \"http://127.0.0.1:9\", \"routingGroup\": \"adhoc\", \"active\": \"yes\"}");
        assertThat(compat.status()).isEqualTo(400);
        assertThat(compat.body()).contains("field 'active' must be true or false");
        Answer rollout = send("POST", "/api/v1/routing-groups/adhoc/rolling-restart", Map.of("Content-Type", JSON), "{\"drainTimeout\": ");
        assertThat(rollout.status()).isEqualTo(400);
        assertThat(rollout.body()).contains("malformed JSON");
        assertThat(configuration()).isEqualTo(before);
    }

    @Test
    void forwardedAndRealIpHeadersCannotSpoofTheClientOrTheHost()
    {
        HttpResponse<String> submitted = TrinoHttp.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/statement"))
                .header("X-Trino-User", "spoof-user")
                .header("Forwarded", "for=6.6.6.6;host=spoofed.example;proto=https")
                .header("X-Real-IP", "6.6.6.6")
                .header("X-Forwarded-Server", "spoofed.example")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1", UTF_8)));
        JsonNode query = body(submitted);
        assertThat(query.get("nextUri").asText()).startsWith(gateway.baseUri() + "/cluster/hard-1/");
        String id = query.get("id").asText();
        // Trino registers a query when its first nextUri is polled
        JsonNode polled = body(TrinoHttp.get(URI.create(query.get("nextUri").asText()), "spoof-user"));
        assertThat(polled.get("id").asText()).isEqualTo(id);
        JsonNode info = body(TrinoHttp.get(trino.baseUri().resolve("/v1/query/" + id), "spoof-user"));
        assertThat(info.at("/session/remoteUserAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(info.toString()).doesNotContain("6.6.6.6").doesNotContain("spoofed.example");
        if (polled.hasNonNull("nextUri")) {
            TrinoHttp.delete(URI.create(polled.get("nextUri").asText()), "spoof-user");
        }
    }

    @Test
    void badHistoryParametersAre400s()
    {
        Answer limit = send("GET", "/api/v1/queries?limit=abc", Map.of(), null);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.body()).contains("limit must be an integer between 1 and 1000, was 'abc'");
        Answer farPast = send("GET", "/api/v1/queries?from=-999999999-01-01T00:00:00Z", Map.of(), null);
        assertThat(farPast.status()).isEqualTo(400);
        assertThat(farPast.body()).contains("from must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        assertThat(send("GET", "/api/v1/queries/distribution?to=%2B999999999-01-01T00:00:00Z", Map.of(), null).status()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/audit?limit=1e3", Map.of(), null).status()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/clusters/hard-1/health?limit=", Map.of(), null).status()).isLessThan(500);
        assertThat(send("GET", "/api/v1/queries?limit=10", Map.of(), null).status()).isEqualTo(200);
    }

    @Test
    void onlyClientPathsOfConfiguredClustersAreForwarded()
    {
        Answer internal = send("GET", "/cluster/hard-1/v1/node", Map.of("X-Trino-User", "path-user"), null);
        assertThat(internal.status()).isEqualTo(404);
        assertThat(internal.body()).contains("is not one Trino clients use");
        assertThat(send("GET", "/cluster/hard-1/v1/jmx/mbean", Map.of(), null).status()).isEqualTo(404);
        assertThat(send("GET", "/v1/node", Map.of(), null).status()).isEqualTo(404);
        assertThat(send("GET", "/cluster/hard-1/v1/info", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/cluster/hard-1/ui/", Map.of(), null).status()).isLessThan(400);

        String before = configuration();
        Answer metadata = send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), cluster("metadata", "http://169.254.169.254", "adhoc"));
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.body()).contains("link-local or cloud metadata address").contains("clusters.allow-link-local-addresses");
        assertThat(configuration()).isEqualTo(before);
    }

    @Test
    void aClusterKilledMidQueryGivesTheClientOneSentence()
            throws Exception
    {
        JsonNode query = body(TrinoHttp.submit(gateway.baseUri(), "SELECT count(*) FROM tpch.sf1000.lineitem CROSS JOIN tpch.sf1000.orders", "crash-user", "doomed"));
        while (!query.at("/stats/state").asText().equals("RUNNING")) {
            query = body(TrinoHttp.get(URI.create(query.get("nextUri").asText()), "crash-user"));
        }
        URI running = URI.create(query.get("nextUri").asText());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // the client keeps polling, as every Trino client does, while its cluster is killed
            Future<JsonNode> failed = executor.submit(() -> {
                URI next = running;
                while (true) {
                    JsonNode polled = body(TrinoHttp.get(next, "crash-user"));
                    if (polled.has("error")) {
                        return polled;
                    }
                    next = URI.create(polled.get("nextUri").asText());
                }
            });
            doomed.kill();
            JsonNode error = failed.get(60, TimeUnit.SECONDS);
            assertThat(error.get("id").asText()).isEqualTo(query.get("id").asText());
            assertThat(error.at("/error/errorName").asText()).isEqualTo("SWITCHBOARD_CLUSTER_UNREACHABLE");
            String message = error.at("/error/message").asText();
            assertThat(message).containsAnyOf(
                    "Cluster 'doomed' closed the connection or stopped answering while the query was running",
                    "Cluster 'doomed' cannot be reached (Connection refused); its queries cannot be followed until it is back");
            assertThat(message).doesNotContain("@").doesNotContain("EndPoint").doesNotContain("HttpChannel").doesNotContain("http://").hasSizeLessThan(300);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void clusterNamesDifferingOnlyInCaseAreRefused()
    {
        assertThat(send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), cluster("Case-1", "http://127.0.0.1:9", "parked")).status()).isEqualTo(201);
        try {
            String before = configuration();
            Answer clash = send("POST", "/api/v1/clusters", Map.of("Content-Type", JSON), cluster("case-1", "http://127.0.0.1:9", "parked"));
            assertThat(clash.status()).isEqualTo(409);
            assertThat(clash.body()).contains("Cluster 'Case-1' already exists and names may not differ only in case");
            assertThat(send("POST", "/gateway/backend/modify/add", Map.of(), "{\"name\": \"CASE-1\", \"proxyTo\": \"http://127.0.0.1:9\", \"routingGroup\": \"parked\"}").status()).isEqualTo(409);
            assertThat(configuration()).isEqualTo(before);
        }
        finally {
            send("DELETE", "/api/v1/clusters/Case-1", Map.of("Content-Type", JSON), null);
        }
    }

    @Test
    void aQuerySubmittedDirectlyIsFollowedThroughTheGatewayBeforeItsFirstPoll()
    {
        JsonNode submitted = body(TrinoHttp.submit(trino.baseUri(), "SELECT 6 * 7", "direct-user", null));
        String id = submitted.get("id").asText();
        URI direct = URI.create(submitted.get("nextUri").asText());
        URI throughGateway = gateway.baseUri().resolve(direct.getRawPath());
        JsonNode polled = body(TrinoHttp.get(throughGateway, "direct-user"));
        assertThat(polled.get("id").asText()).isEqualTo(id);
        assertThat(polled.path("error").isMissingNode()).as(polled.toString()).isTrue();
        while (polled.hasNonNull("nextUri")) {
            assertThat(polled.get("nextUri").asText()).startsWith(gateway.baseUri() + "/cluster/hard-1/");
            polled = body(TrinoHttp.get(URI.create(polled.get("nextUri").asText()), "direct-user"));
            if (polled.has("data")) {
                assertThat(polled.get("data").get(0).get(0).asInt()).isEqualTo(42);
            }
        }
        assertThat(polled.at("/stats/state").asText()).isEqualTo("FINISHED");
    }

    @Test
    void aUserNameLongerThanItsColumnStopsNoRouteFromBeingRecorded()
            throws Exception
    {
        String longUser = "u".repeat(300);
        JsonNode first = body(TrinoHttp.submit(gateway.baseUri(), "SELECT 1", longUser, null));
        JsonNode second = body(TrinoHttp.submit(gateway.baseUri(), "SELECT 2", "short-user", null));
        TrinoHttp.delete(URI.create(first.get("nextUri").asText()), longUser);
        TrinoHttp.delete(URI.create(second.get("nextUri").asText()), "short-user");
        assertEventually(Duration.ofSeconds(20), () -> assertThat(routedUser(second.get("id").asText())).isEqualTo("short-user"));
        assertThat(routedUser(first.get("id").asText())).isEqualTo("u".repeat(256));
    }

    @Test
    void fuzzedApiRequestsGetNoServerErrorChangeNothingWhenRefusedAndRoutingGoesOn()
            throws Exception
    {
        long seed = System.nanoTime();
        ApiFuzzer fuzzer = new ApiFuzzer(new Random(seed));
        String routed = clusterRow("hard-1");
        String state = configuration();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        try {
            for (int request = 0; request < FUZZED_REQUESTS; request++) {
                assertThat(System.nanoTime()).as("%s requests sent in 100 s (seed %s)", request, seed).isLessThan(deadline);
                ApiFuzzer.Fuzzed fuzzed = fuzzer.next();
                Answer answer = RawHttp.send(gateway.baseUri().getPort(), fuzzed.method(), fuzzed.target(), fuzzed.headers(), fuzzed.body());
                String description = "request %s of seed %s: %s -> %s".formatted(request, seed, fuzzed, answer);
                assertThat(answer.status()).as(description).isBetween(200, 499);
                assertThat(answer.body()).as(description).doesNotContain("io.switchboard.").doesNotContain("org.eclipse.jetty.").doesNotContain("INSERT INTO");
                String after = configuration();
                if (answer.status() >= 400) {
                    assertThat(after).as(description).isEqualTo(state);
                }
                state = after;
            }
            assertThat(clusterRow("hard-1")).isEqualTo(routed);
            assertThat(scalar(gateway.jdbcUrl(), "SELECT 41 + 1")).isEqualTo("42");
        }
        finally {
            mysql.execute("DELETE FROM clusters WHERE name NOT IN ('hard-1', 'doomed')");
        }
    }

    private Answer send(String method, String target, Map<String, String> headers, String body)
    {
        return RawHttp.send(gateway.baseUri().getPort(), method, target, headers, body == null ? null : body.getBytes(UTF_8));
    }

    private static String cluster(String name, String proxyUrl, String group)
    {
        return "{\"name\": \"%s\", \"proxyUrl\": \"%s\", \"routingGroup\": \"%s\"}".formatted(name, proxyUrl, group);
    }

    private JsonNode clusterInfo(String name)
    {
        return TestingGateway.json(gateway.send("GET", "/api/v1/clusters/" + name, null).body());
    }

    /**
     * What the clusters table and the audit log hold: a refused request changes neither.
     */
    String configuration()
    {
        StringBuilder state = new StringBuilder();
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT name, proxy_url, external_url, routing_group, active, desired_state, weight FROM clusters ORDER BY name")) {
                while (rows.next()) {
                    for (int column = 1; column <= 7; column++) {
                        state.append(rows.getString(column)).append(column == 7 ? "\n" : " ");
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_log")) {
                rows.next();
                state.append("audit entries: ").append(rows.getLong(1));
            }
        }
        catch (SQLException e) {
            throw new RuntimeException(e);
        }
        return state.toString();
    }

    private static List<String> clusters(String configuration)
    {
        return configuration.lines().filter(line -> !line.startsWith("audit entries")).toList();
    }

    private String clusterRow(String name)
    {
        return configuration().lines().filter(line -> line.startsWith(name + " ")).findFirst().orElseThrow();
    }

    private String routedUser(String queryId)
    {
        try (Connection connection = mysql.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT user_name FROM query_routes WHERE query_id = ?")) {
            statement.setString(1, queryId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : "(no route)";
            }
        }
        catch (SQLException e) {
            throw new RuntimeException(e);
        }
    }

    private static String scalar(String jdbcUrl, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "scalar-user", null);
                Statement statement = connection.createStatement()) {
            return singleValue(statement, sql);
        }
    }

    private static long runningQueries(TrinoServer server)
    {
        try {
            return Long.parseLong(scalar(server.jdbcUrl(), "SELECT count(*) FROM system.runtime.queries WHERE state = 'RUNNING' AND user = 'crash-user'"));
        }
        catch (SQLException e) {
            throw new RuntimeException(e);
        }
    }
}
