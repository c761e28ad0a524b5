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
package io.switchboard.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.switchboard.gateway.TestingGateway.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The analytics API over HTTP, on a known set of queries in the hour from 10:00 (the numbers of
 * generated data are checked in TestAnalyticsDao): 100 queries of alice at 10:05 that took 1 to
 * 100 ms, 20 failed ones of bob at 10:06 that took 120 ms, 5 of bob created at 10:20 and lost in a
 * restart at 10:30.
 */
@TestInstance(PER_CLASS)
final class TestAnalyticsResource
{
    private static final String HOUR = "from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z";

    private TestingMysql mysql;
    private TestingGateway gateway;

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        gateway = new TestingGateway(mysql, Map.of());
        mysql.execute("INSERT INTO clusters (name, proxy_url, external_url, routing_group) VALUES ('adhoc-1', 'http://127.0.0.1:1', 'http://127.0.0.1:1', 'adhoc')");
        List<String> rows = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (int millis = 1; millis <= 100; millis++) {
            rows.add("('alice-%d', 'adhoc-1', 'alice', 'FINISHED', '2026-03-01 10:05:00', '2026-03-01 10:05:01', %d, %d, %d)".formatted(millis, millis, millis * 10, millis * 1000));
            tables.add("('alice-%d', 'hive', 'web', 'clicks')".formatted(millis));
        }
        for (int i = 0; i < 20; i++) {
            rows.add("('bob-%d', 'adhoc-1', 'bob', 'FAILED', '2026-03-01 10:06:00', '2026-03-01 10:06:01', 120, 1, 1)".formatted(i));
            tables.add("('bob-%d', 'hive', 'web', 'views')".formatted(i));
        }
        for (int i = 0; i < 5; i++) {
            rows.add("('lost-%d', 'adhoc-1', 'bob', 'LOST', '2026-03-01 10:20:00', '2026-03-01 10:30:00', NULL, NULL, NULL)".formatted(i));
        }
        mysql.execute("INSERT INTO queries (query_id, cluster_name, user_name, state, created_at, ended_at, wall_time_ms, cpu_time_ms, input_bytes) VALUES " + String.join(", ", rows));
        mysql.execute("INSERT INTO query_tables (query_id, catalog_name, schema_name, table_name) VALUES " + String.join(", ", tables));
    }

    @AfterAll
    void stop()
    {
        try (TestingMysql closedLast = mysql; TestingGateway closedFirst = gateway) {
            // closed in this order
        }
    }

    @Test
    void throughputAndLatencyPerMinute()
    {
        JsonNode throughput = get("/api/v1/analytics/throughput?" + HOUR);
        assertThat(throughput.get("bucketSeconds").asLong()).isEqualTo(60);
        assertThat(points(throughput.get("byCluster"), "queries")).containsExactly(
                "2026-03-01T10:05:00Z adhoc-1 100", "2026-03-01T10:06:00Z adhoc-1 20", "2026-03-01T10:20:00Z adhoc-1 5");
        assertThat(points(throughput.get("byGroup"), "queries")).containsExactly(
                "2026-03-01T10:05:00Z adhoc 100", "2026-03-01T10:06:00Z adhoc 20", "2026-03-01T10:20:00Z adhoc 5");

        JsonNode latency = get("/api/v1/analytics/latency?" + HOUR);
        // nearest rank over 1..100 ms: 50, 90, 99 (exact below 128 ms); LOST queries have no wall time
        assertThat(points(latency.get("byCluster"), "queries", "p50Millis", "p90Millis", "p99Millis")).containsExactly(
                "2026-03-01T10:05:00Z adhoc-1 100 50 90 99", "2026-03-01T10:06:00Z adhoc-1 20 120 120 120");
        assertThat(points(latency.get("byGroup"), "queries", "p50Millis", "p90Millis", "p99Millis")).containsExactly(
                "2026-03-01T10:05:00Z adhoc 100 50 90 99", "2026-03-01T10:06:00Z adhoc 20 120 120 120");

        // a week ending at 11:00: hourly buckets, all in the one of 10:00
        JsonNode week = get("/api/v1/analytics/throughput?range=week&to=2026-03-01T11:00:00Z");
        assertThat(week.get("from").asText()).isEqualTo("2026-02-22T11:00:00Z");
        assertThat(week.get("bucketSeconds").asLong()).isEqualTo(3600);
        assertThat(points(week.get("byCluster"), "queries")).containsExactly("2026-03-01T10:00:00Z adhoc-1 125");
    }

    @Test
    void successUsersTablesAndLostQueries()
    {
        JsonNode success = get("/api/v1/analytics/success?" + HOUR);
        assertThat(rates(success.get("byCluster"))).containsExactly("adhoc-1 125 100 20 5 80.0");
        // lowest success first
        assertThat(rates(success.get("byUser"))).containsExactly("bob 25 0 20 5 0.0", "alice 100 100 0 0 100.0");
        assertThat(rates(get("/api/v1/analytics/success?limit=1&" + HOUR).get("byUser"))).containsExactly("bob 25 0 20 5 0.0");

        JsonNode top = get("/api/v1/analytics/top-users?" + HOUR);
        // alice: 10 + 20 + ... + 1000 ms of CPU, 1,000 + ... + 100,000 bytes; bob's LOST queries have neither
        assertThat(users(top.get("byCpu"))).containsExactly("alice 100 50500 5050000", "bob 25 20 20");
        assertThat(users(top.get("byBytes"))).containsExactly("alice 100 50500 5050000", "bob 25 20 20");

        JsonNode slow = get("/api/v1/analytics/slow-tables?" + HOUR);
        List<String> tables = new ArrayList<>();
        slow.get("tables").forEach(table -> tables.add(String.join(" ", table.get("catalog").asText(), table.get("schema").asText(), table.get("table").asText(),
                table.get("queries").asText(), table.get("averageWallMillis").asText(), table.get("maxWallMillis").asText())));
        // ROUND(AVG(1..100)) = ROUND(50.5) = 51
        assertThat(tables).containsExactly("hive web views 20 120 120", "hive web clicks 100 51 100");

        JsonNode lost = get("/api/v1/analytics/lost?" + HOUR);
        assertThat(lost.get("restarts")).hasSize(1);
        JsonNode restart = lost.get("restarts").get(0);
        assertThat(List.of(restart.get("cluster").asText(), restart.get("restartedAt").asText(), restart.get("queries").asText(), restart.get("users").asText(),
                restart.get("firstCreatedAt").asText(), restart.get("lastCreatedAt").asText()))
                .containsExactly("adhoc-1", "2026-03-01T10:30:00Z", "5", "1", "2026-03-01T10:20:00Z", "2026-03-01T10:20:00Z");
        // the restart is in the range of its time, not of the queries' creation
        assertThat(get("/api/v1/analytics/lost?from=2026-03-01T10:25:00Z&to=2026-03-01T10:35:00Z").get("restarts")).hasSize(1);
        assertThat(get("/api/v1/analytics/lost?from=2026-03-01T10:00:00Z&to=2026-03-01T10:25:00Z").get("restarts")).isEmpty();
    }

    @Test
    void theLastHourByDefault()
    {
        JsonNode answer = get("/api/v1/analytics/throughput");
        Instant from = Instant.parse(answer.get("from").asText());
        Instant to = Instant.parse(answer.get("to").asText());
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofHours(1));
        assertThat(Duration.between(to, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(answer.get("bucketSeconds").asLong()).isEqualTo(60);
        assertThat(answer.get("byCluster")).isEmpty();
        assertThat(get("/api/v1/analytics/latency?range=day").get("bucketSeconds").asLong()).isEqualTo(900);
        assertThat(get("/api/v1/analytics/latency?range=MONTH").get("bucketSeconds").asLong()).isEqualTo(6 * 3600);
    }

    @Test
    void badParametersAre400sThatSayWhy()
    {
        assertBadRequest("/api/v1/analytics/throughput?from=2026-03-01T11:00:00Z&to=2026-03-01T10:00:00Z",
                "from must be before to, was from=2026-03-01T11:00:00Z to=2026-03-01T10:00:00Z");
        assertBadRequest("/api/v1/analytics/latency?from=2026-03-01T10:00:00Z&to=2026-03-01T10:00:00Z", "from must be before to");
        assertBadRequest("/api/v1/analytics/success?range=fortnight", "range must be one of hour, day, week, month (30 days), was 'fortnight'");
        assertBadRequest("/api/v1/analytics/lost?range=day&from=2026-03-01T10:00:00Z", "range cannot be combined with from");
        assertBadRequest("/api/v1/analytics/top-users?limit=0&" + HOUR, "limit must be an integer between 1 and 1000, was '0'");
        assertBadRequest("/api/v1/analytics/slow-tables?limit=1001&" + HOUR, "limit must be an integer between 1 and 1000, was '1001'");
        assertBadRequest("/api/v1/analytics/success?limit=ten&" + HOUR, "limit must be an integer between 1 and 1000, was 'ten'");
        assertBadRequest("/api/v1/analytics/throughput?from=yesterday", "from must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, was 'yesterday'");
        assertBadRequest("/api/v1/analytics/throughput?to=%2B999999999-01-01T00:00:00Z", "to must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        assertBadRequest("/api/v1/analytics/latency?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "the range from 2020-01-01T00:00:00Z to 2026-01-01T00:00:00Z is longer than 366 days");
    }

    private void assertBadRequest(String path, String message)
    {
        HttpResponse<String> response = gateway.send("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
        assertThat(json(response.body()).get("error").asText()).as(path).contains(message);
    }

    private JsonNode get(String path)
    {
        HttpResponse<String> response = gateway.send("GET", path, null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json(response.body());
    }

    private static List<String> points(JsonNode points, String... fields)
    {
        List<String> lines = new ArrayList<>();
        for (JsonNode point : points) {
            StringBuilder line = new StringBuilder(point.get("time").asText() + " " + point.get("name").asText());
            for (String field : fields) {
                line.append(' ').append(point.get(field).asText());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static List<String> rates(JsonNode rates)
    {
        List<String> lines = new ArrayList<>();
        rates.forEach(rate -> lines.add(String.join(" ", rate.get("name").asText(), rate.get("completed").asText(), rate.get("finished").asText(),
                rate.get("failed").asText(), rate.get("lost").asText(), rate.get("successPercent").asText())));
        return lines;
    }

    private static List<String> users(JsonNode users)
    {
        List<String> lines = new ArrayList<>();
        users.forEach(user -> lines.add(String.join(" ", user.get("user").asText(), user.get("queries").asText(), user.get("cpuMillis").asText(),
                user.get("inputBytes").asText())));
        return lines;
    }
}
