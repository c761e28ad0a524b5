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
package io.switchboard.plugin.events;

import io.switchboard.testing.InProcessTrino;
import io.switchboard.testing.TestingMysql;
import io.trino.testing.DistributedQueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static io.switchboard.plugin.events.TestingListeners.awaitCompleted;
import static io.switchboard.plugin.events.TestingListeners.closeAll;
import static io.switchboard.plugin.events.TestingListeners.connect;
import static io.switchboard.plugin.events.TestingListeners.run;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.summingLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Runs every ready query of docs/sql.md on MariaDB filled by real queries through Trino and the
 * listener, and checks its answer against the raw rows.
 */
@TestInstance(PER_CLASS)
final class TestOperatorQueries
{
    private static final Path SQL_DOC = Path.of("../docs/sql.md");
    private static final Pattern QUERY_BLOCK = Pattern.compile("```sql\\n-- query: (\\S+)\\n(.*?)```", Pattern.DOTALL);
    private static final String CLUSTER = "ops-1";

    private TestingMysql mysql;
    private Path spool;
    private QueryEventListener listener;
    private DistributedQueryRunner trino;

    @BeforeAll
    void setUp()
            throws Exception
    {
        mysql = TestingMysql.startWithSchema();
        spool = Files.createTempDirectory("switchboard-spool-");
        listener = TestingListeners.create(CLUSTER, mysql, spool);
        trino = InProcessTrino.builder().withEventListener(listener).start();
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        closeAll(trino, listener == null ? null : listener::shutdown, mysql, spool == null ? null : () -> deleteRecursively(spool, ALLOW_INSECURE));
    }

    @Test
    void everyDocumentedQueryAnswersCorrectly()
            throws Exception
    {
        Map<String, String> queries = documentedQueries();
        assertThat(queries.keySet()).containsExactly(
                "latency-percentiles", "success-rate", "heaviest-users-by-cpu", "heaviest-users-by-bytes-read", "slowest-tables", "lost-queries");
        runWorkload();

        try (ExecutorService executor = Executors.newSingleThreadExecutor();
                Connection carol = connect(trino, "carol");
                Statement longQuery = carol.createStatement()) {
            Future<ResultSet> running = executor.submit(() -> longQuery.executeQuery("SELECT count(*) FROM tpch.sf100000.lineitem"));
            String lostQueryId = awaitCreatedRow("carol");
            // the coordinator "restarted" after carol's query was created, and no completion was recorded
            execute("INSERT INTO cluster_status (cluster_name, state, coordinator_started_at, heartbeat_at) VALUES ('" + CLUSTER + "', 'ACTIVE', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");

            assertLatencyPercentiles(select(queries.get("latency-percentiles")));
            assertSuccessRate(select(queries.get("success-rate")));
            assertHeaviestUsers(select(queries.get("heaviest-users-by-cpu")), "cpu_time_ms", "cpu_ms");
            assertHeaviestUsers(select(queries.get("heaviest-users-by-bytes-read")), "input_bytes", "input_bytes");
            assertThat(select(queries.get("heaviest-users-by-bytes-read")).getFirst().get("user_name")).as("alice read lineitem").isEqualTo("alice");
            assertSlowestTables(select(queries.get("slowest-tables")));
            List<Map<String, Object>> lost = select(queries.get("lost-queries"));
            assertThat(lost).extracting(row -> row.get("query_id")).containsExactly(lostQueryId);

            longQuery.cancel();
            assertThatThrownBy(() -> running.get().next()).as("the cancelled query fails").isNotNull();
        }
    }

    private void runWorkload()
            throws Exception
    {
        List<String> queryIds = new ArrayList<>();
        try (Connection alice = connect(trino, "alice"); Connection bob = connect(trino, "bob")) {
            for (int i = 0; i < 6; i++) {
                queryIds.add(run(alice, "SELECT n.name, r.name FROM nation n JOIN region r ON n.regionkey = r.regionkey WHERE n.nationkey >= " + i));
            }
            queryIds.add(run(alice, "SELECT count(*), sum(quantity) FROM lineitem"));
            queryIds.add(run(bob, "SELECT count(*) FROM nation"));
            queryIds.add(run(bob, "SELECT count(*) FROM region"));
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> run(bob, "SELECT 1 / (regionkey - regionkey) FROM region")).isInstanceOf(SQLException.class);
            }
        }
        awaitCompleted(mysql.dataSource(), queryIds, Duration.ofSeconds(60));
        awaitCompletedCount("bob", 4);
    }

    private void assertLatencyPercentiles(List<Map<String, Object>> rows)
            throws SQLException
    {
        List<Long> times = select("SELECT wall_time_ms FROM queries WHERE ended_at IS NOT NULL ORDER BY wall_time_ms").stream()
                .map(row -> ((Number) row.get("wall_time_ms")).longValue())
                .toList();
        assertThat(times).hasSize(11);
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.getFirst();
        assertThat(row.get("cluster_name")).isEqualTo(CLUSTER);
        assertThat(((Number) row.get("queries")).longValue()).isEqualTo(11);
        assertThat(((Number) row.get("p50_ms")).longValue()).isEqualTo(nearestRank(times, 0.50));
        assertThat(((Number) row.get("p90_ms")).longValue()).isEqualTo(nearestRank(times, 0.90));
        assertThat(((Number) row.get("p99_ms")).longValue()).isEqualTo(nearestRank(times, 0.99)).isEqualTo(times.getLast());
    }

    private static long nearestRank(List<Long> sorted, double percentile)
    {
        return sorted.get((int) Math.ceil(percentile * sorted.size()) - 1);
    }

    private static void assertSuccessRate(List<Map<String, Object>> rows)
    {
        assertThat(rows).extracting(row -> row.get("user_name") + " " + row.get("completed") + " " + row.get("finished") + " " + row.get("user_errors") + " " + row.get("success_percent"))
                .containsExactly("bob 4 2 2 50.0", "alice 7 7 0 100.0");
    }

    private void assertHeaviestUsers(List<Map<String, Object>> rows, String column, String resultColumn)
            throws SQLException
    {
        Map<String, Long> expected = select("SELECT user_name, " + column + " FROM queries WHERE ended_at IS NOT NULL").stream()
                .collect(groupingBy(row -> (String) row.get("user_name"), TreeMap::new, summingLong(row -> ((Number) row.get(column)).longValue())));
        List<String> expectedOrder = expected.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .toList();
        assertThat(rows).extracting(row -> row.get("user_name") + "=" + ((Number) row.get(resultColumn)).longValue()).containsExactlyElementsOf(expectedOrder);
    }

    private static void assertSlowestTables(List<Map<String, Object>> rows)
    {
        assertThat(rows).extracting(row -> row.get("table_name") + " " + row.get("queries"))
                .containsExactlyInAnyOrder("nation 7", "region 9", "lineitem 1");
        assertThat(rows).extracting(row -> ((Number) row.get("avg_wall_ms")).doubleValue())
                .isSortedAccordingTo(Comparator.reverseOrder());
    }

    private String awaitCreatedRow(String user)
            throws Exception
    {
        for (int attempt = 0; attempt < 300; attempt++) {
            List<Map<String, Object>> rows = select("SELECT query_id FROM queries WHERE user_name = '" + user + "' AND state = 'QUEUED'");
            if (!rows.isEmpty()) {
                return (String) rows.getFirst().get("query_id");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no created row for " + user);
    }

    private void awaitCompletedCount(String user, int count)
            throws Exception
    {
        for (int attempt = 0; attempt < 300; attempt++) {
            if (select("SELECT query_id FROM queries WHERE ended_at IS NOT NULL AND user_name = '" + user + "'").size() == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("queries of " + user + " did not complete");
    }

    private static Map<String, String> documentedQueries()
            throws Exception
    {
        Map<String, String> queries = new LinkedHashMap<>();
        Matcher matcher = QUERY_BLOCK.matcher(Files.readString(SQL_DOC));
        while (matcher.find()) {
            queries.put(matcher.group(1), matcher.group(2));
        }
        return queries;
    }

    private List<Map<String, Object>> select(String sql)
            throws SQLException
    {
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = resultSet.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (resultSet.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    row.put(metadata.getColumnLabel(column), resultSet.getObject(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private void execute(String sql)
            throws SQLException
    {
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
