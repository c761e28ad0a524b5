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
package io.switchboard.gateway.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.gateway.TrinoJdbc;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * What an operator's Prometheus, Kubernetes and log shipper see of a gateway in front of a real
 * Trino 476 cluster: the metrics after real queries, readiness as clusters and MySQL come and go,
 * the request log, and W3C trace context reaching the cluster unchanged.
 */
@TestInstance(PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
final class TestGatewayMetrics
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int QUERIES = 5;
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
    private static final String STUB_QUERY_ID = "20261206_120000_00000_trace";

    private TestingMysql mysql;
    private TrinoServer trino;
    private TestingGateway gateway;
    private Path requestLogDirectory;
    private HttpServer stub;
    private final List<Map<String, List<String>>> stubRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start()
            throws IOException
    {
        CompletableFuture<TrinoServer> starting = CompletableFuture.supplyAsync(() -> TrinoServer.builder("metrics-1").start());
        mysql = TestingMysql.start();
        requestLogDirectory = Files.createTempDirectory("request-log");
        gateway = new TestingGateway(mysql, ImmutableMap.<String, String>builder()
                .put("health.check-interval", "1s")
                .put("health.timeout", "1s")
                .put("health.failure-threshold", "1")
                .put("http-server.log.enabled", "true")
                .put("http-server.log.path", requestLogDirectory.resolve("http-request.log").toString())
                .put("http-server.log.max-size", "2kB")
                .put("http-server.log.max-history", "2")
                .put("http-server.log.compression.enabled", "false")
                .put("http-server.log.immediate-flush", "true")
                .buildOrThrow());
        trino = starting.join();
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, stub == null ? null : () -> stub.stop(0), trino, mysql);
    }

    @Test
    @Order(1)
    void notReadyWithoutClusters()
    {
        assertThat(get("/livez").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode readiness = TestingGateway.json(ready.body());
        assertThat(readiness.path("ready").asBoolean()).isFalse();
        assertThat(readiness.path("reason").asText()).isEqualTo("No cluster is configured");
        assertThat(readiness.path("mysql").asText()).isEqualTo("reachable");
    }

    @Test
    @Order(2)
    void readyOnceAClusterIsAdded()
    {
        gateway.addCluster(trino, "adhoc");
        assertEventually(TIMEOUT, () -> assertThat(get("/readyz").statusCode()).isEqualTo(200));
        assertEventually(TIMEOUT, () -> assertThat(metric(scrape(), "switchboard_cluster_health{cluster=\"metrics-1\",group=\"adhoc\",state=\"healthy\"}")).isEqualTo(1));
    }

    @Test
    @Order(3)
    void metricsCountTheQueriesSent()
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "metrics-user", null);
                Statement statement = connection.createStatement()) {
            for (int i = 0; i < QUERIES; i++) {
                assertThat(TrinoJdbc.singleValue(statement, "SELECT " + i)).isEqualTo(String.valueOf(i));
            }
        }
        String metrics = scrape();
        String cluster = "cluster=\"metrics-1\",group=\"adhoc\"";
        assertThat(metric(metrics, "switchboard_requests_total{type=\"submit\"}")).isEqualTo(QUERIES);
        assertThat(metric(metrics, "switchboard_cluster_submits_total{" + cluster + "}")).isEqualTo(QUERIES);
        assertThat(metric(metrics, "switchboard_requests_total{type=\"follow_up\"}")).isGreaterThanOrEqualTo(QUERIES);
        assertThat(metric(metrics, "switchboard_cluster_response_seconds_count{" + cluster + ",type=\"submit\"}")).isEqualTo(QUERIES);
        assertThat(metric(metrics, "switchboard_cluster_response_seconds_bucket{" + cluster + ",type=\"submit\",le=\"+Inf\"}")).isEqualTo(QUERIES);
        assertThat(metric(metrics, "switchboard_cluster_response_seconds_sum{" + cluster + ",type=\"submit\"}")).isPositive();
        assertThat(metric(metrics, "switchboard_cluster_response_seconds_count{" + cluster + ",type=\"follow_up\"}")).isGreaterThanOrEqualTo(QUERIES);
        // labels in name order
        assertThat(metric(metrics, "switchboard_forwarded_bytes_total{cluster=\"metrics-1\",direction=\"to_client\",group=\"adhoc\"}")).isPositive();
        assertThat(metric(metrics, "switchboard_forwarded_bytes_total{cluster=\"metrics-1\",direction=\"to_cluster\",group=\"adhoc\"}")).isGreaterThanOrEqualTo("SELECT 0".length() * QUERIES);
        assertThat(metric(metrics, "switchboard_errors_total{kind=\"unknown_cluster\"}")).isZero();
        assertThat(metric(metrics, "switchboard_cluster_accepting{" + cluster + "}")).isEqualTo(1);
        assertThat(metric(metrics, "switchboard_mysql_reachable")).isEqualTo(1);
        assertThat(metric(metrics, "switchboard_admission_queries_total{outcome=\"queued\"}")).isZero();
        assertEventually(TIMEOUT, () -> assertThat(metric(scrape(), "switchboard_route_writer_routes_total{outcome=\"written\"}")).isEqualTo(QUERIES));
        assertThat(metric(scrape(), "switchboard_route_writer_lag_seconds")).isZero();

        // a poll for a cluster the gateway does not know is an error of its kind
        HttpResponse<String> refused = get("/cluster/removed-1/v1/statement/executing/20261206_120000_00001_abcde/y/1");
        assertThat(refused.body()).contains("SWITCHBOARD_UNKNOWN_CLUSTER");
        assertThat(metric(scrape(), "switchboard_errors_total{kind=\"unknown_cluster\"}")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void openMetricsForPrometheus()
    {
        HttpResponse<String> response = TestingGateway.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(response.body())
                .contains("# TYPE switchboard_cluster_response_seconds histogram")
                .contains("# UNIT switchboard_cluster_response_seconds seconds")
                .endsWith("# EOF\n")
                .doesNotContain(trino.baseUri().toString())
                .doesNotContain("127.0.0.1");
    }

    @Test
    @Order(5)
    void traceContextReachesTheClusterUnchanged()
            throws IOException
    {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", this::answerAsTrino);
        stub.start();
        HttpResponse<String> added = gateway.send("POST", "/api/v1/clusters", """
                {"name": "traced-1", "proxyUrl": "http://127.0.0.1:%s", "routingGroup": "traced"}
                """.formatted(stub.getAddress().getPort()));
        assertThat(added.statusCode()).isEqualTo(201);
        Map<String, String> trace = Map.of("X-Trino-Routing-Group", "traced", "traceparent", TRACEPARENT, "tracestate", TRACESTATE);
        assertEventually(TIMEOUT, () -> assertThat(submit("SELECT 1", trace).body()).contains(STUB_QUERY_ID));
        JsonNode queued = TestingGateway.json(submit("SELECT 1", trace).body());
        URI nextUri = URI.create(queued.path("nextUri").asText());
        assertThat(nextUri.getPath()).endsWith("/traced-1/v1/statement/executing/" + STUB_QUERY_ID + "/y/1");
        HttpRequest.Builder poll = HttpRequest.newBuilder(gateway.baseUri().resolve(nextUri.getRawPath()));
        trace.forEach(poll::header);
        assertThat(TestingGateway.send(poll.build()).body()).contains("FINISHED");

        List<Map<String, List<String>>> statementRequests = stubRequests.stream()
                .filter(headers -> headers.containsKey("X-test-path") && headers.get("X-test-path").getFirst().startsWith("/v1/statement"))
                .toList();
        assertThat(statementRequests.stream().map(headers -> headers.get("X-test-path").getFirst()))
                .contains("/v1/statement", "/v1/statement/executing/" + STUB_QUERY_ID + "/y/1");
        for (Map<String, List<String>> headers : statementRequests) {
            assertThat(headers.get("Traceparent")).containsExactly(TRACEPARENT);
            assertThat(headers.get("Tracestate")).containsExactly(TRACESTATE);
        }
    }

    @Test
    @Order(6)
    void readyWhileRoutingFromMemoryWithMysqlDown()
            throws Exception
    {
        mysql.stopServer();
        try {
            assertEventually(TIMEOUT, () -> assertThat(metric(scrape(), "switchboard_mysql_reachable")).isZero());
            HttpResponse<String> ready = get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode readiness = TestingGateway.json(ready.body());
            assertThat(readiness.path("mysql").asText()).isEqualTo("unreachable");
            assertThat(readiness.path("routingFromMemory").asBoolean()).isTrue();
            // and it does route: a query through the gateway runs
            try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), "metrics-user", null);
                    Statement statement = connection.createStatement()) {
                assertThat(TrinoJdbc.singleValue(statement, "SELECT 42")).isEqualTo("42");
            }
            assertThat(metric(scrape(), "switchboard_route_writer_pending") + metric(scrape(), "switchboard_route_writer_lag_seconds")).isPositive();
        }
        finally {
            mysql.startServer();
        }
        assertEventually(TIMEOUT, () -> assertThat(metric(scrape(), "switchboard_mysql_reachable")).isEqualTo(1));
        assertEventually(TIMEOUT, () -> assertThat(metric(scrape(), "switchboard_route_writer_lag_seconds")).isZero());
    }

    @Test
    @Order(7)
    void healthGaugeFollowsAClusterGoingDown()
    {
        trino.stop();
        String cluster = "cluster=\"metrics-1\",group=\"adhoc\"";
        assertEventually(TIMEOUT, () -> {
            String metrics = scrape();
            assertThat(metric(metrics, "switchboard_cluster_health{" + cluster + ",state=\"unhealthy\"}")).isEqualTo(1);
            assertThat(metric(metrics, "switchboard_cluster_health{" + cluster + ",state=\"healthy\"}")).isZero();
            assertThat(metric(metrics, "switchboard_cluster_accepting{" + cluster + "}")).isZero();
        });
        // the stub still accepts: ready; drained, no cluster accepts
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(gateway.send("POST", "/api/v1/clusters/traced-1/drain", null).statusCode()).isEqualTo(200);
        assertEventually(TIMEOUT, () -> {
            HttpResponse<String> ready = get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(TestingGateway.json(ready.body()).path("reason").asText()).startsWith("No cluster accepts new queries");
        });
    }

    @Test
    @Order(8)
    void requestLogIsWrittenAndRolledOver()
            throws IOException
    {
        // far more than one file of http-server.log.max-size holds
        for (int i = 0; i < 100; i++) {
            get("/livez");
        }
        submit("SELECT 1", Map.of("X-Trino-Routing-Group", "nowhere"));
        scrape();
        Path active = requestLogDirectory.resolve("http-request.log");
        assertEventually(TIMEOUT, () -> {
            assertThat(logFiles()).hasSizeGreaterThan(1);
            assertThat(logFiles().stream().map(TestGatewayMetrics::read).reduce("", String::concat))
                    .contains("\tPOST\t/v1/statement\t")
                    .contains("\tGET\t/metrics\t")
                    .contains("\tGET\t/livez\t");
        });
        // each file stays near the configured size (a line may cross it)
        for (Path file : logFiles()) {
            if (!file.equals(active)) {
                assertThat(Files.size(file)).isLessThan(8 * 1024);
            }
        }
    }

    private List<Path> logFiles()
    {
        try (Stream<Path> files = Files.list(requestLogDirectory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("http-request")).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file, UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Answers as a Trino coordinator would, just enough for a query of one poll, recording every
     * request's headers (and its path as {@code X-test-path}).
     */
    private void answerAsTrino(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> headers = new HashMap<>(exchange.getRequestHeaders());
            headers.put("X-test-path", List.of(path));
            stubRequests.add(headers);
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String body;
            if (path.equals("/v1/info")) {
                body = "{\"nodeVersion\":{\"version\":\"476\"},\"coordinator\":true,\"starting\":false,\"uptime\":\"1.00m\"}";
            }
            else if (path.equals("/v1/statement")) {
                String base = exchange.getRequestHeaders().getFirst("X-Forwarded-Proto") + "://" + exchange.getRequestHeaders().getFirst("X-Forwarded-Host") +
                        exchange.getRequestHeaders().getFirst("X-Forwarded-Prefix");
                body = "{\"id\":\"%s\",\"infoUri\":\"%s/ui/query.html?%s\",\"nextUri\":\"%s/v1/statement/executing/%s/y/1\",\"stats\":{\"state\":\"QUEUED\"}}"
                        .formatted(STUB_QUERY_ID, base, STUB_QUERY_ID, base, STUB_QUERY_ID);
            }
            else if (path.startsWith("/v1/statement/executing/")) {
                body = "{\"id\":\"%s\",\"infoUri\":\"http://stub/ui\",\"stats\":{\"state\":\"FINISHED\"}}".formatted(STUB_QUERY_ID);
            }
            else {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private HttpResponse<String> submit(String sql, Map<String, String> headers)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve("/v1/statement"))
                .header("X-Trino-User", "metrics-user")
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8));
        headers.forEach(request::header);
        return TestingGateway.send(request.build());
    }

    private String scrape()
    {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /**
     * The value of one series in the Prometheus text format, 0 when it is absent.
     */
    private static double metric(String metrics, String series)
    {
        Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private HttpResponse<String> get(String path)
    {
        return TestingGateway.send(HttpRequest.newBuilder(gateway.baseUri().resolve(path)).build());
    }
}
