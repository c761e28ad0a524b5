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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.assertEventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Admission control end to end: two real Trino 476 clusters behind gateways with admission
 * enabled, many trino-jdbc clients of several users, and what ran read from the clusters' own
 * query lists.
 */
@TestInstance(PER_CLASS)
final class TestAdmission
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int USER_LIMIT = 4;
    private static final int CLUSTER_CAPACITY = 6;
    private static final Set<String> DONE = Set.of("FINISHED", "FAILED");
    // 200,000 rows: more than trino-jdbc fetches ahead (50,000), so a client that pauses keeps its query running
    private static final String QUERY = "SELECT a.x * 1000 + b.x FROM UNNEST(sequence(1, 400)) a(x) CROSS JOIN UNNEST(sequence(1, 500)) b(x)";
    private static final long EXPECTED_SUM = LongStream.rangeClosed(1, 400).flatMap(a -> LongStream.rangeClosed(1, 500).map(b -> a * 1000 + b)).sum();

    private TestingMysql mysql;
    private TrinoServer first;
    private TrinoServer second;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        CompletableFuture<TrinoServer> secondStart = CompletableFuture.supplyAsync(() -> TrinoServer.builder("adhoc-2").start());
        first = TrinoServer.builder("adhoc-1").start();
        second = secondStart.join();
        gateway = new TestingGateway(mysql, Map.of(
                "admission.enabled", "true",
                "admission.max-running-per-user", String.valueOf(USER_LIMIT),
                "admission.cluster-capacity", String.valueOf(CLUSTER_CAPACITY)));
        gateway.addCluster(first, "adhoc");
        gateway.addCluster(second, "adhoc");
    }

    @AfterAll
    void stop()
    {
        closeAll(gateway, second, first, mysql);
    }

    /**
     * 30 clients of 3 users against 4 running queries per user and 6 per cluster: the clusters
     * never run more, every result is right, and the users share the waiting.
     */
    @Test
    void limitsHoldOnTheClustersAndUsersShareTheWait()
            throws Exception
    {
        List<String> users = List.of("alice", "bob", "carol");
        Map<String, Integer> mostPerUser = new ConcurrentHashMap<>();
        Map<String, Integer> mostPerCluster = new ConcurrentHashMap<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> sample(users, mostPerUser, mostPerCluster), 0, 200, MILLISECONDS);
        ExecutorService clients = Executors.newFixedThreadPool(30);
        try {
            Map<String, List<Long>> waits = new ConcurrentHashMap<>();
            CountDownLatch ready = new CountDownLatch(30);
            List<Future<Long>> sums = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String user = users.get(i % users.size());
                sums.add(clients.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return run(user, waits);
                }));
            }
            for (Future<Long> sum : sums) {
                assertThat(sum.get(110, SECONDS)).isEqualTo(EXPECTED_SUM);
            }
            assertThat(mostPerUser).as("running queries per user, sampled from the clusters").containsOnlyKeys(users);
            assertThat(mostPerUser.values()).allSatisfy(most -> assertThat(most).isLessThanOrEqualTo(USER_LIMIT));
            assertThat(mostPerCluster.values()).allSatisfy(most -> assertThat(most).isLessThanOrEqualTo(CLUSTER_CAPACITY));
            // the limits were reached, not merely respected
            assertThat(Collections.max(mostPerUser.values())).isEqualTo(USER_LIMIT);
            AdmissionController.Counters counters = gateway.instance(AdmissionController.class).counters();
            assertThat(counters.admitted()).isEqualTo(30);
            assertThat(counters.queued()).isGreaterThan(0);
            List<Long> medians = users.stream().map(user -> median(waits.get(user))).toList();
            assertThat(Collections.max(medians)).as("median waits %s", medians).isLessThanOrEqualTo(2 * Collections.min(medians) + 500);
            assertEventually(Duration.ofSeconds(5), () -> assertThat(gateway.instance(AdmissionController.class).snapshot().runningByUser()).isEmpty());
        }
        finally {
            clients.shutdownNow();
            sampler.shutdownNow();
        }
    }

    /**
     * Runs the query as the user, pausing after the first row so that it stays running a while;
     * returns the sum of its rows. The wait is the time to the first row.
     */
    private long run(String user, Map<String, List<Long>> waits)
            throws SQLException, InterruptedException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        try (Connection connection = DriverManager.getConnection(gateway.jdbcUrl(), properties);
                Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            try (ResultSet resultSet = statement.executeQuery(QUERY)) {
                assertThat(resultSet.next()).isTrue();
                waits.computeIfAbsent(user, _ -> Collections.synchronizedList(new ArrayList<>())).add((System.nanoTime() - start) / 1_000_000);
                long sum = resultSet.getLong(1);
                Thread.sleep(1500);
                while (resultSet.next()) {
                    sum += resultSet.getLong(1);
                }
                return sum;
            }
        }
    }

    private void sample(List<String> users, Map<String, Integer> mostPerUser, Map<String, Integer> mostPerCluster)
    {
        Map<String, Integer> perUser = new ConcurrentHashMap<>();
        for (TrinoServer cluster : List.of(first, second)) {
            int running = 0;
            for (JsonNode query : queries(cluster)) {
                String user = query.path("session").path("user").asText();
                if (users.contains(user) && !DONE.contains(query.path("state").asText())) {
                    perUser.merge(user, 1, Integer::sum);
                    running++;
                }
            }
            mostPerCluster.merge(cluster.name(), running, Math::max);
        }
        perUser.forEach((user, running) -> mostPerUser.merge(user, running, Math::max));
    }

    /**
     * Over the limit with the queue full: QUERY_QUEUE_FULL; waiting longer than the most:
     * EXCEEDED_TIME_LIMIT naming the limit.
     */
    @Test
    void aFullQueueAndATooLongWaitAreTrinoErrors()
            throws Exception
    {
        try (TestingGateway strict = new TestingGateway(mysql, Map.of(
                "admission.enabled", "true",
                "admission.max-running-per-user", "1",
                "admission.max-queued-per-group", "1",
                "admission.max-queue-wait", "3s"));
                RunningQuery _ = RunningQuery.start(connect(strict, "dave"), QUERY)) {
            AtomicReference<Throwable> waited = new AtomicReference<>();
            CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> {
                try (Connection connection = connect(strict, "dave"); Statement statement = connection.createStatement()) {
                    statement.executeQuery("SELECT 1");
                }
                catch (SQLException e) {
                    waited.set(e);
                }
            });
            assertEventually(Duration.ofSeconds(5), () -> assertThat(strict.instance(AdmissionController.class).snapshot().queued()).hasSize(1));
            try (Connection connection = connect(strict, "dave"); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("SELECT 2"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("Too many queued queries in routing group 'adhoc'")
                        .hasMessageContaining("admission.max-queued-per-group")
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(0x0002_0002));
            }
            queued.get(10, SECONDS);
            assertThat(waited.get())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("longer than admission.max-queue-wait (3.00s)")
                    .hasMessageContaining("the limit of 1 running queries for user 'dave' (admission.max-running-per-user)");
            assertThat(((SQLException) waited.get()).getErrorCode()).isEqualTo(0x0002_0003);
        }
    }

    /**
     * A query cancelled while queued never reaches a cluster; a poll for a queued query the
     * gateway does not know tells the client to submit it again.
     */
    @Test
    void aCancelledQueuedQueryNeverReachesACluster()
            throws Exception
    {
        try (TestingGateway strict = new TestingGateway(mysql, Map.of(
                "admission.enabled", "true",
                "admission.max-running-per-user", "1"));
                RunningQuery running = RunningQuery.start(connect(strict, "erin"), QUERY)) {
            String marker = "marker_" + UUID.randomUUID().toString().replace("-", "");
            HttpResponse<String> submitted = HTTP.send(HttpRequest.newBuilder(strict.baseUri().resolve("/v1/statement"))
                    .header("X-Trino-User", "erin")
                    .POST(HttpRequest.BodyPublishers.ofString("SELECT '" + marker + "'"))
                    .build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            JsonNode queued = json(submitted.body());
            assertThat(queued.path("stats").path("state").asText()).isEqualTo("QUEUED");
            assertThat(queued.path("id").asText()).startsWith("gw_");
            URI nextUri = URI.create(queued.path("nextUri").asText());
            assertThat(nextUri.getPath()).startsWith("/v1/statement/queued/gateway/" + queued.path("id").asText() + "/");
            assertThat(queued.path("warnings").get(0).path("message").asText())
                    .isEqualTo("Waiting in the gateway's queue of routing group 'adhoc' at position 1, held by the limit of 1 running queries for user 'erin' (admission.max-running-per-user)");

            long start = System.nanoTime();
            JsonNode polled = json(HTTP.send(HttpRequest.newBuilder(nextUri).header("X-Trino-User", "erin").GET().build(), HttpResponse.BodyHandlers.ofString(UTF_8)).body());
            assertThat(System.nanoTime() - start).as("a poll waits for a slot for about a second").isGreaterThan(MILLISECONDS.toNanos(800));
            assertThat(polled.path("stats").path("state").asText()).isEqualTo("QUEUED");
            nextUri = URI.create(polled.path("nextUri").asText());

            assertThat(HTTP.send(HttpRequest.newBuilder(nextUri).DELETE().build(), HttpResponse.BodyHandlers.ofString(UTF_8)).statusCode()).isEqualTo(204);
            JsonNode afterCancel = json(HTTP.send(HttpRequest.newBuilder(nextUri).GET().build(), HttpResponse.BodyHandlers.ofString(UTF_8)).body());
            assertThat(afterCancel.path("error").path("errorName").asText()).isEqualTo("SWITCHBOARD_QUEUED_QUERY_CANCELLED");
            // the slot frees: the cancelled query is not submitted
            running.close();
            assertEventually(Duration.ofSeconds(5), () -> assertThat(strict.instance(AdmissionController.class).snapshot().runningByUser()).isEmpty());
            Thread.sleep(1000);
            for (TrinoServer cluster : List.of(first, second)) {
                assertThat(queries(cluster).toString()).as("queries of %s", cluster.name()).doesNotContain(marker);
            }

            JsonNode unknown = json(HTTP.send(HttpRequest.newBuilder(strict.baseUri().resolve("/v1/statement/queued/gateway/gw_unknown/00/1")).GET().build(),
                    HttpResponse.BodyHandlers.ofString(UTF_8)).body());
            assertThat(unknown.path("error").path("errorName").asText()).isEqualTo("SWITCHBOARD_UNKNOWN_QUEUED_QUERY");
            assertThat(unknown.path("error").path("message").asText()).contains("another gateway replica").endsWith("Submit the query again");
        }
    }

    private static Connection connect(TestingGateway gateway, String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        return DriverManager.getConnection(gateway.jdbcUrl(), properties);
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

    private static long median(List<Long> values)
    {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
