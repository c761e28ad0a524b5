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
package io.switchboard.store.status;

import io.switchboard.store.TestingStore;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.store.cluster.DesiredState.ACTIVE;
import static io.switchboard.store.cluster.DesiredState.DRAINING;
import static io.switchboard.store.status.ClusterState.DRAINED;
import static io.switchboard.store.status.ClusterState.SHUTTING_DOWN;
import static java.time.temporal.ChronoUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
final class TestClusterStatusDao
{
    private TestingStore store;
    private DataSource dataSource;
    private ClusterStatusDao dao;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        dataSource = store.dataSource();
        dao = new ClusterStatusDao(Jdbi.create(dataSource));
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void reportReplacesTheClusterRow()
    {
        Instant startedAt = Instant.parse("2025-06-01T10:15:30.123Z");
        StatusReport busy = new StatusReport("status-a", SHUTTING_DOWN, 3, 2, 1, 4, 1_000_000, 8_000_000_000L,
                Optional.of("coordinator-a"), Optional.of(startedAt), Optional.of("476"), Optional.empty());
        Instant before = Instant.now().truncatedTo(SECONDS);
        dao.report(busy);

        ClusterStatus stored = dao.get("status-a").orElseThrow();
        assertThat(stored.report()).isEqualTo(busy);
        assertThat(stored.heartbeatAt()).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));

        StatusReport drained = new StatusReport("status-a", DRAINED, 0, 0, 0, 4, 0, 8_000_000_000L,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        dao.report(drained);
        assertThat(dao.get("status-a").orElseThrow().report()).isEqualTo(drained);
        assertThat(dao.list()).extracting(ClusterStatus::report).containsOnlyOnce(drained);
        assertThat(dao.get("status-missing")).isEmpty();
    }

    @Test
    void queryCountsRoundTrip()
    {
        QueryCounts counts = new QueryCounts(Map.of("alice", 3, "bob", 1, "ünïcode user", 2, "o'brien \"quoted\" \\ user", 1), Map.of("airflow", 4));
        StatusReport report = new StatusReport("counts-a", ClusterState.ACTIVE, 4, 2, 0, 1, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(counts));
        dao.report(report);
        assertThat(dao.get("counts-a").orElseThrow().report()).isEqualTo(report);
        assertThat(dao.get("counts-a").orElseThrow().report().queryCounts()).contains(counts);

        // readable with SQL, as documented
        Jdbi jdbi = Jdbi.create(dataSource);
        String alice = jdbi.withHandle(handle -> handle.createQuery("SELECT JSON_EXTRACT(query_counts, '$.users.alice') FROM cluster_status WHERE cluster_name = 'counts-a'")
                .mapTo(String.class)
                .one());
        assertThat(alice).isEqualTo("3");

        // a report without counts clears them
        StatusReport without = new StatusReport("counts-a", ClusterState.ACTIVE, 0, 0, 0, 1, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        dao.report(without);
        assertThat(dao.get("counts-a").orElseThrow().report().queryCounts()).isEmpty();

        // an unreadable document hides the counts of its row only
        dao.report(report);
        jdbi.useHandle(handle -> handle.execute("UPDATE cluster_status SET query_counts = '{not json' WHERE cluster_name = 'counts-a'"));
        assertThat(dao.get("counts-a").orElseThrow().report().queryCounts()).isEmpty();
        assertThat(dao.get("counts-a").orElseThrow().report().runningQueries()).isEqualTo(4);
    }

    @Test
    void queryCountsKeepTheLargest()
    {
        Map<String, Integer> users = new HashMap<>();
        for (int i = 0; i < 1500; i++) {
            users.put("user-" + i, 1 + i % 7);
        }
        QueryCounts counts = QueryCounts.largest(users, Map.of("airflow", 1), QueryCounts.MAX_REPORTED);
        assertThat(counts.byUser()).hasSize(QueryCounts.MAX_REPORTED);
        assertThat(counts.byUser().values()).allMatch(count -> count >= 3);
        assertThat(counts.bySource()).containsExactly(Map.entry("airflow", 1));
        assertThat(QueryCounts.fromJson(counts.toJson())).isEqualTo(counts);
        assertThat(QueryCounts.fromJson("{\"users\": {\"alice\": 2}, \"later\": true}")).isEqualTo(new QueryCounts(Map.of("alice", 2), Map.of()));
    }

    @Test
    void documentedFleetQueryAddsUpTheClusters()
            throws IOException
    {
        String document = Files.readString(Path.of("../docs/sql.md"));
        Matcher block = Pattern.compile("```sql\n-- who runs the most now\n(.*?)```", Pattern.DOTALL).matcher(document);
        assertThat(block.find()).as("the query in docs/sql.md").isTrue();
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(handle -> handle.execute("DELETE FROM cluster_status"));
        dao.report(countsReport("top-1", Map.of("alice", 3, "bob", 1)));
        dao.report(countsReport("top-2", Map.of("alice", 2, "carol", 4)));
        dao.report(new StatusReport("top-3", ClusterState.ACTIVE, 0, 0, 0, 1, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        List<Map<String, Object>> rows = jdbi.withHandle(handle -> handle.createQuery(block.group(1)).mapToMap().list());
        assertThat(rows).extracting(row -> row.get("user_name") + "=" + ((Number) row.get("unfinished_queries")).intValue())
                .containsExactly("alice=5", "carol=4", "bob=1");
    }

    private static StatusReport countsReport(String cluster, Map<String, Integer> byUser)
    {
        return new StatusReport(cluster, ClusterState.ACTIVE, 0, 0, 0, 1, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(new QueryCounts(byUser, Map.of())));
    }

    @Test
    void readsTheDesiredStateTheGatewayWrote()
    {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(handle -> handle.execute(
                "INSERT INTO clusters (name, proxy_url, external_url, routing_group, desired_state) VALUES ('desired-a', 'http://127.0.0.1:1', 'http://127.0.0.1:1', 'adhoc', 'ACTIVE')"));
        assertThat(dao.desiredState("desired-a")).contains(ACTIVE);

        jdbi.useHandle(handle -> handle.execute("UPDATE clusters SET desired_state = 'DRAINING' WHERE name = 'desired-a'"));
        assertThat(dao.desiredState("desired-a")).contains(DRAINING);
        assertThat(dao.desiredState("desired-unknown")).isEmpty();
    }

    @Test
    void queriesThatNeverCompletedBeforeACoordinatorRestartAreMarkedLost()
    {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO queries (query_id, cluster_name, state, created_at) VALUES " +
                    "('q_running', 'crashy', 'RUNNING', '2026-01-01 10:00:00'), " +
                    "('q_queued', 'crashy', 'QUEUED', '2026-01-01 10:00:01'), " +
                    "('q_finished', 'crashy', 'FINISHED', '2026-01-01 10:00:03'), " +
                    "('q_after', 'crashy', 'RUNNING', '2026-01-01 10:10:00'), " +
                    "('q_other', 'healthy', 'RUNNING', '2026-01-01 10:00:00')");
            handle.execute("INSERT INTO query_routes (query_id, cluster_name, routing_group, gateway_id, received_at, user_name, source) VALUES " +
                    "('q_running', 'crashy', 'adhoc', 'gateway-a', '2026-01-01 09:59:59.900', 'alice', NULL), " +
                    "('q_routed_only', 'crashy', 'adhoc', 'gateway-a', '2026-01-01 10:00:02.250', 'bob', 'jdbc'), " +
                    "('q_routed_after', 'crashy', 'adhoc', 'gateway-a', '2026-01-01 10:06:00', 'bob', 'jdbc'), " +
                    "('q_routed_long_ago', 'crashy', 'adhoc', 'gateway-a', '2025-12-30 10:00:00', 'bob', 'jdbc'), " +
                    "('q_routed_elsewhere', 'healthy', 'adhoc', 'gateway-a', '2026-01-01 10:00:02', 'bob', 'jdbc')");
        });
        Instant restart = Instant.parse("2026-01-01T10:05:00Z");
        assertThat(dao.markQueriesLost("crashy", restart)).isEqualTo(3);
        assertThat(dao.markQueriesLost("crashy", restart)).as("idempotent").isZero();

        List<String> lost = jdbi.withHandle(handle -> handle.createQuery("SELECT query_id FROM queries WHERE state = 'LOST' ORDER BY query_id")
                .mapTo(String.class)
                .list());
        assertThat(lost).containsExactly("q_queued", "q_routed_only", "q_running");
        Map<String, Object> routedOnly = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT cluster_name, user_name, source, created_at, ended_at, error_name FROM queries WHERE query_id = 'q_routed_only'")
                .mapToMap()
                .one());
        assertThat(routedOnly)
                .containsEntry("cluster_name", "crashy")
                .containsEntry("user_name", "bob")
                .containsEntry("source", "jdbc")
                .containsEntry("created_at", LocalDateTime.parse("2026-01-01T10:00:02.250"))
                .containsEntry("ended_at", LocalDateTime.parse("2026-01-01T10:05:00"))
                .containsEntry("error_name", "COORDINATOR_RESTARTED");
        String error = jdbi.withHandle(handle -> handle.createQuery("SELECT CONCAT(error_code, ' ', error_name, ' ', error_message) FROM queries WHERE query_id = 'q_running'")
                .mapTo(String.class)
                .one());
        assertThat(error).isEqualTo(ClusterStatusDao.COORDINATOR_RESTARTED_ERROR_CODE + " COORDINATOR_RESTARTED Cluster crashy restarted at 2026-01-01 10:05 UTC before the query completed");
        assertThat(dao.databaseNow()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
    }
}
