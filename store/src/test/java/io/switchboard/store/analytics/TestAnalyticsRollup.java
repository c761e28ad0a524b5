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
package io.switchboard.store.analytics;

import io.switchboard.store.TestingStore;
import io.switchboard.store.history.QueryEvent;
import io.switchboard.store.history.QueryEventWriter;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.history.QueryMetrics;
import io.switchboard.store.history.TableName;
import io.switchboard.store.status.ClusterStatusDao;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The rollup against the same analytics computed from {@code queries} alone, on three days of
 * generated queries that end now (and a few 20 days before) (the rollup closes hours by the database's clock): equal after a
 * run, and again after changes to hours already rolled up (a late completion, LOST marking,
 * retention), both before the next run (which reads those hours from queries) and after it.
 * The first two run first: the changes of the others would be read again by runs in the minutes after.
 */
@TestInstance(PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class TestAnalyticsRollup
{
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Map<String, String> GROUPS = Map.of("adhoc-1", "adhoc", "adhoc-2", "adhoc", "etl-1", "etl");
    private static final List<String> CLUSTERS = List.of("adhoc-1", "adhoc-2", "etl-1", "removed-1");
    private static final List<String> STATES = List.of("FINISHED", "FINISHED", "FINISHED", "FINISHED", "FAILED", "LOST", "RUNNING");
    private static final List<String> TABLES = List.of("hive.web.clicks", "hive.web.views", "iceberg.sales.orders", "tpch.tiny.nation");
    private static final List<AnalyticsRange> RANGES = List.of(
            AnalyticsRange.of(NOW.minus(Duration.ofDays(3)), NOW),
            // partial first and last hours, hour buckets
            AnalyticsRange.of(NOW.minus(Duration.ofHours(50)).plus(Duration.ofMinutes(17)), NOW.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(5))),
            // buckets of 15 minutes: throughput and latency from queries, the rest from the rollup
            AnalyticsRange.of(NOW.minus(Duration.ofDays(1)), NOW),
            // 6 hours, a day
            AnalyticsRange.of(NOW.minus(Duration.ofDays(30)), NOW),
            AnalyticsRange.of(NOW.minus(Duration.ofDays(90)), NOW.plus(Duration.ofDays(1))));

    private TestingStore store;
    private Jdbi jdbi;
    private AnalyticsDao dao;
    private AnalyticsDao raw;
    private AnalyticsRollup rollup;

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        jdbi = Jdbi.create(store.dataSource());
        dao = new AnalyticsDao(jdbi);
        raw = new AnalyticsDao(jdbi, false);
        rollup = new AnalyticsRollup(jdbi);
        GROUPS.forEach((cluster, group) -> jdbi.useHandle(handle -> handle.execute(
                "INSERT INTO clusters (name, proxy_url, external_url, routing_group) VALUES (?, 'http://127.0.0.1:1', 'http://127.0.0.1:1', ?)", cluster, group)));
        Random random = new Random(25);
        jdbi.useHandle(handle -> {
            // updated_at as the event listener leaves it: when the last event of the query arrived
            PreparedBatch queries = handle.prepareBatch("""
                    INSERT INTO queries (query_id, cluster_name, user_name, state, created_at, ended_at, wall_time_ms, cpu_time_ms, input_bytes, updated_at)
                    VALUES (:id, :cluster, :user, :state, :createdAt, :endedAt, :wall, :cpu, :bytes, :updatedAt)
                    """);
            PreparedBatch tables = handle.prepareBatch("INSERT INTO query_tables (query_id, catalog_name, schema_name, table_name) VALUES (?, ?, ?, ?)");
            for (int i = 0; i < 6000; i++) {
                // and 10 queries 20 days before: a run skips the hours between, and sums the days that end there
                Instant createdAt = i < 10
                        ? NOW.minus(Duration.ofDays(20)).plusSeconds(60L * i)
                        : NOW.minus(Duration.ofMinutes(1)).minusMillis(random.nextLong(Duration.ofDays(3).toMillis()));
                String state = STATES.get(random.nextInt(STATES.size()));
                boolean completed = state.equals("FINISHED") || state.equals("FAILED");
                Long wall = completed ? 1 + (long) Math.exp(random.nextDouble() * 13) : null;
                Instant endedAt = completed ? createdAt.plusMillis(wall) : state.equals("LOST") ? createdAt.plusSeconds(600) : null;
                String id = "q" + i;
                queries.bind("id", id)
                        .bind("cluster", CLUSTERS.get(Math.min(random.nextInt(5), CLUSTERS.size() - 1)))
                        .bind("user", "user-" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 12))
                        .bind("state", state)
                        .bind("createdAt", Timestamp.from(createdAt))
                        .bind("endedAt", endedAt == null ? null : Timestamp.from(endedAt))
                        .bind("wall", wall)
                        .bind("cpu", completed ? random.nextInt(100_000) : null)
                        .bind("bytes", completed ? random.nextLong(1L << 40) : null)
                        .bind("updatedAt", Timestamp.from(endedAt == null || endedAt.isAfter(NOW) ? createdAt : endedAt))
                        .add();
                for (String table : TABLES) {
                    if (random.nextInt(3) == 0) {
                        String[] parts = table.split("\\.");
                        tables.add(id, parts[0], parts[1], parts[2]);
                    }
                }
            }
            queries.execute();
            tables.execute();
            handle.execute("ANALYZE TABLE queries, query_tables, clusters");
        });
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    @Order(1)
    void rollupAnswersLikeTheQueries()
    {
        AnalyticsRollup.Run run = rollup.run();
        assertThat(run.locked()).isTrue();
        assertThat(run.rolledUpTo().orElseThrow()).isAfterOrEqualTo(NOW.truncatedTo(ChronoUnit.HOURS));
        assertSameAsQueries();
        // the rollup serves them: every whole hour of a range, raw rows only for its edges
        List<QueryPlan> plans = dao.explain(RANGES.getFirst());
        assertThat(plans).extracting(QueryPlan::table).contains("s");
        assertThat(plans).filteredOn(plan -> plan.table().equals("s"))
                .allSatisfy(plan -> assertThat(plan.key()).as(plan.toString()).contains("PRIMARY"));
        assertThat(plans).noneMatch(plan -> plan.type().equals("ALL") && !plan.table().startsWith("<"));
    }

    @Test
    @Order(2)
    void runningAgainChangesNothing()
    {
        rollup.run();
        List<String> before = rollupRows();
        assertThat(before).isNotEmpty();
        AnalyticsRollup.Run again = rollup.run();
        assertThat(again.locked()).isTrue();
        // nothing changed: at most the hour that closed meanwhile
        assertThat(again.hoursComputed()).isLessThanOrEqualTo(1);
        assertThat(rollupRows()).containsAll(before);
        assertSameAsQueries();
    }

    @Test
    void lateCompletionAndLostQueriesCountAfterTheNextRun()
    {
        rollup.run();
        Instant createdAt = NOW.minus(Duration.ofHours(30));
        Instant restart = NOW.minus(Duration.ofHours(2));
        jdbi.useHandle(handle -> {
            // reported late, as the event listener does after an outage: updated_at is now
            PreparedBatch batch = handle.prepareBatch("INSERT INTO queries (query_id, cluster_name, user_name, state, created_at) VALUES (?, ?, 'late', 'RUNNING', ?)");
            batch.add("late-1", "adhoc-1", Timestamp.from(createdAt));
            batch.add("lost-1", "etl-1", Timestamp.from(createdAt.minus(Duration.ofHours(5))));
            batch.add("lost-2", "etl-1", Timestamp.from(createdAt.plus(Duration.ofHours(7))));
            batch.execute();
        });
        rollup.run();
        assertSameAsQueries();

        // hours after their queries were created: one completes, the coordinator of another cluster restarts
        new QueryEventWriter(jdbi).write(List.of(new QueryEvent("late-1", "adhoc-1", "FINISHED", "late", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), createdAt, Optional.of(createdAt),
                Optional.of(createdAt.plus(Duration.ofHours(29))), Optional.empty(),
                Optional.of(new QueryMetrics(0, Duration.ofHours(29).toMillis(), 1_000_000, 0, 10, 1 << 30, 1, 10, 0)),
                List.of(new TableName("hive", "web", "clicks")))));
        assertThat(new ClusterStatusDao(jdbi).markQueriesLost("etl-1", restart)).isGreaterThanOrEqualTo(2);
        // right away: the hours whose queries changed since the last run are read from queries
        assertSameAsQueries();
        assertThat(rolledUpFinished("late")).isZero();

        AnalyticsRollup.Run run = rollup.run();
        assertThat(run.hoursComputed()).isGreaterThanOrEqualTo(3);
        assertThat(rolledUpFinished("late")).isEqualTo(1);
        assertSameAsQueries();
        assertThat(dao.topUsers(RANGES.get(3), 1000).byCpu()).anySatisfy(user -> assertThat(user.user()).isEqualTo("late"));
    }

    private long rolledUpFinished(String user)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COALESCE(SUM(finished), 0) FROM query_user_stats_hourly WHERE user_name = :user")
                .bind("user", user)
                .mapTo(Long.class)
                .one());
    }

    @Test
    void concurrentRunsCountOnce()
            throws Exception
    {
        jdbi.useHandle(handle -> {
            handle.execute("DELETE FROM query_stats_rollup");
            handle.execute("DELETE FROM query_stats_hourly");
            handle.execute("DELETE FROM query_user_stats_hourly");
            handle.execute("DELETE FROM query_table_stats_hourly");
            handle.execute("DELETE FROM query_user_stats_daily");
            handle.execute("DELETE FROM query_table_stats_daily");
        });
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<AnalyticsRollup.Run>> runs = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RuntimeException(e);
                    }
                    return rollup.run();
                }, executor));
            }
            start.countDown();
            for (CompletableFuture<AnalyticsRollup.Run> run : runs) {
                run.get();
            }
        }
        finally {
            executor.shutdownNow();
        }
        // one of them computed every hour (60 or more, after retentionForgetsTheHoursItDeleted); the other found the lock taken, or nothing left to do
        assertThat(runs).anySatisfy(run -> assertThat(run.join().hoursComputed()).isGreaterThanOrEqualTo(50));
        assertSameAsQueries();
    }

    @Test
    void retentionForgetsTheHoursItDeleted()
    {
        rollup.run();
        Instant cutoff = NOW.minus(Duration.ofHours(60)).plus(Duration.ofMinutes(23));
        assertThat(new QueryHistoryDao(jdbi).deleteOlderThan(cutoff, 500)).isPositive();
        assertThat(rollup.forgetBefore(cutoff)).isTrue();
        assertSameAsQueries();
        assertThat(jdbi.withHandle(handle -> handle.createQuery("SELECT MIN(hour) FROM query_stats_hourly").mapTo(Timestamp.class).one()).toInstant())
                .isEqualTo(cutoff.truncatedTo(ChronoUnit.HOURS));
    }

    private void assertSameAsQueries()
    {
        for (AnalyticsRange range : RANGES) {
            String what = range.toString();
            assertThat(dao.throughput(range)).as(what).isEqualTo(raw.throughput(range));
            assertThat(dao.latency(range)).as(what).isEqualTo(raw.latency(range));
            assertThat(dao.success(range, 1000)).as(what).isEqualTo(raw.success(range, 1000));
            assertThat(dao.success(range, 3)).as(what).isEqualTo(raw.success(range, 3));
            assertThat(dao.topUsers(range, 5)).as(what).isEqualTo(raw.topUsers(range, 5));
            assertThat(dao.slowTables(range, 1000)).as(what).isEqualTo(raw.slowTables(range, 1000));
            assertThat(dao.lost(range)).as(what).isEqualTo(raw.lost(range));
        }
        assertThat(raw.throughput(RANGES.getFirst()).byCluster()).hasSizeGreaterThan(200);
    }

    private List<String> rollupRows()
    {
        return jdbi.withHandle(handle -> {
            List<String> rows = new ArrayList<>();
            rows.addAll(handle.createQuery("SELECT CONCAT_WS(' ', hour, cluster_name, queries, finished, failed, lost, wall_time_queries, HEX(wall_time_histogram)) " +
                    "FROM query_stats_hourly").mapTo(String.class).list());
            rows.addAll(handle.createQuery("SELECT CONCAT_WS(' ', hour, user_name, queries, cpu_time_ms, input_bytes, finished, failed, lost) " +
                    "FROM query_user_stats_hourly").mapTo(String.class).list());
            rows.addAll(handle.createQuery("SELECT CONCAT_WS(' ', hour, catalog_name, schema_name, table_name, queries, wall_time_ms_sum, wall_time_ms_max) " +
                    "FROM query_table_stats_hourly").mapTo(String.class).list());
            rows.addAll(handle.createQuery("SELECT CONCAT_WS(' ', day, user_name, queries, cpu_time_ms, input_bytes, finished, failed, lost) " +
                    "FROM query_user_stats_daily").mapTo(String.class).list());
            rows.addAll(handle.createQuery("SELECT CONCAT_WS(' ', day, catalog_name, schema_name, table_name, queries, wall_time_ms_sum, wall_time_ms_max) " +
                    "FROM query_table_stats_daily").mapTo(String.class).list());
            return rows;
        });
    }
}
