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
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Every analytics query against values computed here, in Java, from the same generated queries:
 * a few hundred in the hour under test, and more before and after it that must not count.
 */
@TestInstance(PER_CLASS)
final class TestAnalyticsDao
{
    private static final Instant FROM = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant TO = FROM.plus(Duration.ofHours(1));
    private static final AnalyticsRange RANGE = AnalyticsRange.of(FROM, TO);
    private static final Map<String, String> GROUPS = Map.of("adhoc-1", "adhoc", "adhoc-2", "adhoc", "etl-1", "etl");
    // a cluster no longer registered: its queries count for it, not for any group
    private static final List<String> CLUSTERS = List.of("adhoc-1", "adhoc-2", "etl-1", "removed-1");
    private static final List<String> STATES = List.of("FINISHED", "FINISHED", "FINISHED", "FAILED", "LOST", "QUEUED");
    private static final List<String> TABLES = List.of("hive.web.clicks", "hive.web.views", "iceberg.sales.orders", "tpch.tiny.nation");
    private static final Instant RESTART_1 = FROM.plusSeconds(1000);
    private static final Instant RESTART_2 = FROM.plusSeconds(2500);

    private TestingStore store;
    private AnalyticsDao dao;
    private final List<Row> inRange = new ArrayList<>();
    // every LOST row was lost by RESTART_1 or RESTART_2, both in the range, whenever it was created
    private final List<Row> allLost = new ArrayList<>();

    record Row(String id, String cluster, String user, String state, Instant createdAt, Optional<Instant> endedAt, Optional<Long> wallMillis, long cpuMillis, long inputBytes, List<String> tables) {}

    @BeforeAll
    void setUp()
    {
        store = TestingStore.start();
        Jdbi jdbi = Jdbi.create(store.dataSource());
        dao = new AnalyticsDao(jdbi);
        GROUPS.forEach((cluster, group) -> jdbi.useHandle(handle -> handle.execute(
                "INSERT INTO clusters (name, proxy_url, external_url, routing_group) VALUES (?, 'http://127.0.0.1:1', 'http://127.0.0.1:1', ?)", cluster, group)));
        Random random = new Random(25);
        List<Row> rows = new ArrayList<>();
        // 400 in the hour, 2,000 in the 10 hours before and 2 hours after it
        for (int i = 0; i < 2400; i++) {
            Instant createdAt = i < 400
                    ? FROM.plusMillis(random.nextLong(Duration.ofHours(1).toMillis()))
                    : FROM.minus(Duration.ofHours(10)).plusMillis(random.nextLong(Duration.ofHours(12).toMillis()));
            if (i >= 400 && !createdAt.isBefore(FROM) && createdAt.isBefore(TO)) {
                createdAt = createdAt.plus(Duration.ofHours(1));
            }
            // LOST queries are rare: only among the first 400
            Row row = row(random, i, createdAt, i < 400);
            rows.add(row);
            if (!row.createdAt().isBefore(FROM) && row.createdAt().isBefore(TO)) {
                inRange.add(row);
            }
            if (row.state().equals("LOST")) {
                allLost.add(row);
            }
        }
        jdbi.useHandle(handle -> {
            PreparedBatch queries = handle.prepareBatch("""
                    INSERT INTO queries (query_id, cluster_name, user_name, state, created_at, ended_at, wall_time_ms, cpu_time_ms, input_bytes)
                    VALUES (:id, :cluster, :user, :state, :createdAt, :endedAt, :wall, :cpu, :bytes)
                    """);
            PreparedBatch tables = handle.prepareBatch("INSERT INTO query_tables (query_id, catalog_name, schema_name, table_name) VALUES (?, ?, ?, ?)");
            for (Row row : rows) {
                queries.bind("id", row.id())
                        .bind("cluster", row.cluster())
                        .bind("user", row.user())
                        .bind("state", row.state())
                        .bind("createdAt", Timestamp.from(row.createdAt()))
                        .bind("endedAt", row.endedAt().map(Timestamp::from).orElse(null))
                        .bind("wall", row.wallMillis().orElse(null))
                        .bind("cpu", row.state().equals("QUEUED") || row.state().equals("LOST") ? null : row.cpuMillis())
                        .bind("bytes", row.state().equals("QUEUED") || row.state().equals("LOST") ? null : row.inputBytes())
                        .add();
                for (String table : row.tables()) {
                    String[] parts = table.split("\\.");
                    tables.add(row.id(), parts[0], parts[1], parts[2]);
                }
            }
            queries.execute();
            tables.execute();
            handle.execute("ANALYZE TABLE queries, query_tables, clusters");
        });
    }

    private static Row row(Random random, int i, Instant createdAt, boolean mayBeLost)
    {
        String state = STATES.get(random.nextInt(STATES.size()));
        if (state.equals("LOST") && !mayBeLost) {
            state = "FINISHED";
        }
        // skew: a few users and the first cluster get most queries
        String user = "user-" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 12);
        String cluster = CLUSTERS.get(Math.min(random.nextInt(5), CLUSTERS.size() - 1));
        Optional<Long> wall = Optional.empty();
        Optional<Instant> endedAt = Optional.empty();
        if (state.equals("FINISHED") || state.equals("FAILED")) {
            wall = Optional.of(1 + (long) Math.exp(random.nextDouble() * 12));
            endedAt = Optional.of(createdAt.plusMillis(wall.get()));
        }
        else if (state.equals("LOST")) {
            endedAt = Optional.of(random.nextBoolean() ? RESTART_1 : RESTART_2);
            createdAt = endedAt.get().minusSeconds(1 + random.nextInt(600));
        }
        List<String> tables = new ArrayList<>();
        for (String table : TABLES) {
            if (random.nextInt(3) == 0) {
                tables.add(table);
            }
        }
        return new Row("q" + i, cluster, user, state, createdAt, endedAt, wall, random.nextInt(100_000), random.nextLong(1L << 40), tables);
    }

    @AfterAll
    void tearDown()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void rangesChooseTheirBucket()
    {
        assertThat(RANGE.bucket()).isEqualTo(Duration.ofMinutes(1));
        assertThat(AnalyticsRange.of(FROM, FROM.plus(Duration.ofDays(1))).bucket()).isEqualTo(Duration.ofMinutes(15));
        assertThat(AnalyticsRange.of(FROM, FROM.plus(Duration.ofDays(7))).bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(AnalyticsRange.of(FROM, FROM.plus(Duration.ofDays(30))).bucket()).isEqualTo(Duration.ofHours(6));
        assertThat(AnalyticsRange.of(FROM, FROM.plus(Duration.ofDays(90))).bucket()).isEqualTo(Duration.ofDays(1));
        AnalyticsRange odd = AnalyticsRange.of(Instant.parse("2026-03-01T10:07:31Z"), Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(odd.origin()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(odd.bucketStart(3)).isEqualTo(Instant.parse("2026-03-01T10:45:00Z"));
        assertThatThrownBy(() -> AnalyticsRange.of(TO, FROM)).hasMessage("from must be before to");
    }

    @Test
    void throughput()
    {
        // bucketed by the minute of creation; LOST rows were created before their restart, in range or not
        Map<String, Long> expectedClusters = counts(inRange, row -> minute(row) + " " + row.cluster());
        Map<String, Long> expectedGroups = counts(inRange.stream().filter(row -> GROUPS.containsKey(row.cluster())).toList(),
                row -> minute(row) + " " + GROUPS.get(row.cluster()));

        Throughput throughput = dao.throughput(RANGE);

        assertThat(throughput.byCluster()).extracting(point -> point.time() + " " + point.name(), QueryCountPoint::queries)
                .containsExactlyInAnyOrderElementsOf(expectedClusters.entrySet().stream().map(e -> tuple(e.getKey(), e.getValue())).toList());
        assertThat(throughput.byGroup()).extracting(point -> point.time() + " " + point.name(), QueryCountPoint::queries)
                .containsExactlyInAnyOrderElementsOf(expectedGroups.entrySet().stream().map(e -> tuple(e.getKey(), e.getValue())).toList());
        assertThat(throughput.byCluster().stream().mapToLong(QueryCountPoint::queries).sum()).isEqualTo(inRange.size());
        assertThat(throughput.byCluster()).isSortedAccordingTo(Comparator.comparing(QueryCountPoint::time).thenComparing(QueryCountPoint::name));
    }

    private static String minute(Row row)
    {
        return Instant.ofEpochSecond(row.createdAt().getEpochSecond() / 60 * 60).toString();
    }

    private static Map<String, Long> counts(List<Row> rows, Function<Row, String> key)
    {
        return rows.stream().collect(groupingBy(key, counting()));
    }

    @Test
    void latencyPercentiles()
    {
        List<Row> completed = inRange.stream().filter(row -> row.wallMillis().isPresent()).toList();
        Map<String, List<Long>> byCluster = completed.stream()
                .collect(groupingBy(row -> minute(row) + " " + row.cluster(), mapping(row -> row.wallMillis().get(), toList())));
        Map<String, List<Long>> byGroup = completed.stream()
                .filter(row -> GROUPS.containsKey(row.cluster()))
                .collect(groupingBy(row -> minute(row) + " " + GROUPS.get(row.cluster()), mapping(row -> row.wallMillis().get(), toList())));

        Latency latency = dao.latency(RANGE);

        assertThat(latency.byCluster()).hasSize(byCluster.size());
        for (LatencyPoint point : latency.byCluster()) {
            assertPercentiles(point, byCluster.get(point.time() + " " + point.name()));
        }
        assertThat(latency.byGroup()).hasSize(byGroup.size());
        for (LatencyPoint point : latency.byGroup()) {
            assertPercentiles(point, byGroup.get(point.time() + " " + point.name()));
        }
    }

    @Test
    void percentilesOfLongQueriesAreWithinTheirBin()
    {
        // 1,000 queries from 1 s to 1,000 s: P50 500 s, P90 900 s, P99 990 s, each reported within 1.1 %
        Instant minute = Instant.parse("2026-05-01T00:00:00Z");
        Jdbi jdbi = Jdbi.create(store.dataSource());
        jdbi.useHandle(handle -> {
            PreparedBatch batch = handle.prepareBatch("INSERT INTO queries (query_id, cluster_name, user_name, state, created_at, ended_at, wall_time_ms) " +
                    "VALUES (?, 'adhoc-2', 'long', 'FINISHED', ?, ?, ?)");
            for (int seconds = 1; seconds <= 1000; seconds++) {
                batch.add("long-" + seconds, Timestamp.from(minute), Timestamp.from(minute.plusSeconds(seconds)), seconds * 1000L);
            }
            batch.execute();
        });
        LatencyPoint point = dao.latency(AnalyticsRange.of(minute, minute.plus(Duration.ofHours(1)))).byCluster().getFirst();
        assertThat(point.queries()).isEqualTo(1000);
        assertNear(point, point.p50Millis(), 500_000);
        assertNear(point, point.p90Millis(), 900_000);
        assertNear(point, point.p99Millis(), 990_000);
    }

    @Test
    void percentilesOfAKnownSet()
    {
        // 1..100 ms in one minute of one cluster, in a range of its own: P50 50, P90 90, P99 99 (nearest rank)
        Instant minute = Instant.parse("2026-04-01T00:00:00Z");
        Jdbi jdbi = Jdbi.create(store.dataSource());
        jdbi.useHandle(handle -> {
            PreparedBatch batch = handle.prepareBatch("INSERT INTO queries (query_id, cluster_name, user_name, state, created_at, ended_at, wall_time_ms) " +
                    "VALUES (?, 'etl-1', 'known', 'FINISHED', ?, ?, ?)");
            for (int millis = 100; millis >= 1; millis--) {
                Instant createdAt = minute.plusMillis(millis * 100L);
                batch.add("known-" + millis, Timestamp.from(createdAt), Timestamp.from(createdAt.plusMillis(millis)), millis);
            }
            batch.execute();
        });
        Latency latency = dao.latency(AnalyticsRange.of(minute, minute.plus(Duration.ofHours(1))));
        assertThat(latency.byCluster()).containsExactly(new LatencyPoint(minute, "etl-1", 100, 50, 90, 99));
        assertThat(latency.byGroup()).containsExactly(new LatencyPoint(minute, "etl", 100, 50, 90, 99));
    }

    private static void assertPercentiles(LatencyPoint point, List<Long> values)
    {
        assertThat(values).as(point.toString()).isNotNull();
        List<Long> sorted = values.stream().sorted().toList();
        assertThat(point.queries()).as(point.toString()).isEqualTo(sorted.size());
        assertNear(point, point.p50Millis(), nearestRank(sorted, 0.50));
        assertNear(point, point.p90Millis(), nearestRank(sorted, 0.90));
        assertNear(point, point.p99Millis(), nearestRank(sorted, 0.99));
    }

    // exact below 128 ms; above, the middle of a bin 2^(1/32) wide: within 1.1 %, and half a millisecond of rounding
    private static void assertNear(LatencyPoint point, long actual, long exact)
    {
        if (exact < 128) {
            assertThat(actual).as(point.toString()).isEqualTo(exact);
        }
        else {
            assertThat((double) actual).as(point + ": exact " + exact).isBetween(exact / 1.011 - 0.5, exact * 1.011 + 0.5);
        }
    }

    private static long nearestRank(List<Long> sorted, double p)
    {
        return sorted.get((int) Math.ceil(p * sorted.size()) - 1);
    }

    @Test
    void successRates()
    {
        List<Row> completed = inRange.stream().filter(row -> !row.state().equals("QUEUED")).toList();
        Success success = dao.success(RANGE, 1000);

        Map<String, List<Row>> byCluster = completed.stream().collect(groupingBy(Row::cluster));
        assertThat(success.byCluster()).extracting(SuccessRate::name).containsExactlyElementsOf(byCluster.keySet().stream().sorted().toList());
        for (SuccessRate rate : success.byCluster()) {
            assertRate(rate, byCluster.get(rate.name()));
        }
        Map<String, List<Row>> byUser = completed.stream().collect(groupingBy(Row::user));
        assertThat(success.byUser()).hasSize(byUser.size());
        assertThat(success.byUser()).isSortedAccordingTo(Comparator.comparingDouble(SuccessRate::successPercent));
        for (SuccessRate rate : success.byUser()) {
            assertRate(rate, byUser.get(rate.name()));
        }
        assertThat(dao.success(RANGE, 2).byUser()).containsExactlyElementsOf(success.byUser().subList(0, 2));
    }

    private static void assertRate(SuccessRate rate, List<Row> rows)
    {
        long finished = rows.stream().filter(row -> row.state().equals("FINISHED")).count();
        long failed = rows.stream().filter(row -> row.state().equals("FAILED")).count();
        long lost = rows.stream().filter(row -> row.state().equals("LOST")).count();
        assertThat(rate).isEqualTo(new SuccessRate(rate.name(), rows.size(), finished, failed, lost, Math.round(10_000.0 * finished / rows.size()) / 100.0));
    }

    @Test
    void topUsers()
    {
        Map<String, List<Row>> byUser = inRange.stream().collect(groupingBy(Row::user));
        List<UserUsage> usage = byUser.entrySet().stream()
                .map(entry -> new UserUsage(
                        entry.getKey(),
                        entry.getValue().size(),
                        entry.getValue().stream().filter(TestAnalyticsDao::measured).mapToLong(Row::cpuMillis).sum(),
                        entry.getValue().stream().filter(TestAnalyticsDao::measured).mapToLong(Row::inputBytes).sum()))
                .toList();
        TopUsers top = dao.topUsers(RANGE, 5);
        assertThat(top.byCpu()).containsExactlyElementsOf(usage.stream().sorted(Comparator.comparingLong(UserUsage::cpuMillis).reversed()).limit(5).toList());
        assertThat(top.byBytes()).containsExactlyElementsOf(usage.stream().sorted(Comparator.comparingLong(UserUsage::inputBytes).reversed()).limit(5).toList());
    }

    private static boolean measured(Row row)
    {
        return !row.state().equals("QUEUED") && !row.state().equals("LOST");
    }

    @Test
    void slowTables()
    {
        record Read(String table, long wall) {}
        Map<String, List<Long>> byTable = inRange.stream()
                .filter(row -> row.wallMillis().isPresent())
                .flatMap(row -> row.tables().stream().map(table -> new Read(table, row.wallMillis().get())))
                .collect(groupingBy(Read::table, mapping(Read::wall, toList())));
        List<TableLatency> expected = byTable.entrySet().stream()
                .map(entry -> {
                    String[] parts = entry.getKey().split("\\.");
                    List<Long> walls = entry.getValue();
                    return new TableLatency(parts[0], parts[1], parts[2], walls.size(),
                            Math.round(walls.stream().mapToLong(Long::longValue).sum() / (double) walls.size()),
                            walls.stream().mapToLong(Long::longValue).max().orElseThrow());
                })
                .sorted(Comparator.comparingLong(TableLatency::averageWallMillis).reversed())
                .toList();
        assertThat(dao.slowTables(RANGE, 100)).containsExactlyElementsOf(expected);
        assertThat(dao.slowTables(RANGE, 2)).containsExactlyElementsOf(expected.subList(0, 2));
    }

    @Test
    void lostQueriesPerRestart()
    {
        // LOST rows are found by their restart (ended_at), whenever they were created
        assertThat(allLost).isNotEmpty();
        Map<String, List<Row>> all = allLost.stream().collect(groupingBy(row -> row.endedAt().orElseThrow() + " " + row.cluster()));
        List<LostQueries> result = dao.lost(RANGE);
        assertThat(result).hasSize(all.size());
        for (LostQueries restart : result) {
            List<Row> rows = all.get(restart.restartedAt() + " " + restart.cluster());
            assertThat(rows).as(restart.toString()).isNotNull();
            assertThat(restart).isEqualTo(new LostQueries(
                    restart.cluster(),
                    restart.restartedAt(),
                    rows.size(),
                    rows.stream().map(Row::user).distinct().count(),
                    rows.stream().map(Row::createdAt).min(Comparator.naturalOrder()).orElseThrow(),
                    rows.stream().map(Row::createdAt).max(Comparator.naturalOrder()).orElseThrow()));
        }
        assertThat(result).extracting(LostQueries::restartedAt).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(result).extracting(LostQueries::restartedAt).containsOnly(RESTART_1, RESTART_2);
    }


    @Test
    void everyQueryReadsARangeOfAnIndex()
    {
        // after ANALYZE TABLE on 2,400 queries of 12 hours, one hour of them: MariaDB reads a range of the
        // covering index (a table this small could as well be scanned, and would be without the index)
        List<QueryPlan> plans = dao.explain(RANGE);
        assertThat(plans).extracting(QueryPlan::query).containsAll(AnalyticsDao.QUERIES.keySet());
        for (String query : AnalyticsDao.QUERIES.keySet()) {
            List<QueryPlan> ofQueries = plans.stream().filter(plan -> plan.query().equals(query) && plan.table().equals("q")).toList();
            assertThat(ofQueries).as(query).hasSize(1);
            assertThat(ofQueries.getFirst().type()).as(query + ": " + ofQueries).isIn("range", "ref");
            assertThat(ofQueries.getFirst().key()).as(query + ": " + ofQueries).contains(query.equals("lost") ? "queries_lost" : "queries_analytics");
            assertThat(ofQueries.getFirst().extra()).as(query + ": " + ofQueries).hasValueSatisfying(extra -> assertThat(extra).contains("Using index"));
        }
        assertThat(plans).filteredOn(plan -> plan.table().equals("t")).singleElement()
                .satisfies(plan -> assertThat(plan.key()).contains("PRIMARY"));
        assertThat(plans).noneMatch(plan -> plan.type().equals("ALL") && !plan.table().startsWith("<"));
    }
}
