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

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The analytics of the query history, computed in MySQL over one time range. Whole hours that the
 * hourly rollup holds (before {@code query_stats_rollup.rolled_up_to}, see {@link AnalyticsRollup})
 * are read from the rollup tables, a few rows per hour; the rest of the range (its partial first and
 * last hours, the hours not rolled up yet, and every range whose buckets are shorter than an hour)
 * from {@code queries}: each raw query reads a range of {@code created_at} in the covering index
 * {@code queries_analytics} (the LOST queries, a range of the restart time in {@code queries_lost}),
 * so that its cost grows with the range, not with the table. Both give the same numbers: the
 * rollup holds counts, sums and the same latency histograms. The routing group of a query is the
 * routing group its cluster has in {@code clusters} now; queries of clusters no longer registered
 * count for their cluster only.
 */
public class AnalyticsDao
{
    private static final String IN_RANGE = "q.created_at >= :from AND q.created_at < :to";
    private static final String BUCKET = "TIMESTAMPDIFF(SECOND, :origin, q.created_at) DIV :bucketSeconds";
    private static final String HOURS = "s.hour >= :from AND s.hour < :to";
    private static final String HOUR_BUCKET = "TIMESTAMPDIFF(SECOND, :origin, s.hour) DIV :bucketSeconds";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    static final String THROUGHPUT = """
            SELECT %s AS bucket, q.cluster_name AS name, COUNT(*) AS queries
            FROM queries q FORCE INDEX (queries_analytics)
            WHERE %s AND q.cluster_name IS NOT NULL
            GROUP BY bucket, name
            """.formatted(BUCKET, IN_RANGE);

    // the wall times, streamed: counted into histograms here (LatencyHistogram), in one pass over the index.
    // MariaDB's window functions (ROW_NUMBER, PERCENTILE_CONT) sort every row of the range, and a GROUP BY
    // into fine bins fills a temporary table of hundreds of thousands of rows: both took seconds for a week
    static final String LATENCY = """
            SELECT %s AS bucket, q.cluster_name AS name, q.wall_time_ms
            FROM queries q FORCE INDEX (queries_analytics)
            WHERE %s AND q.cluster_name IS NOT NULL AND q.wall_time_ms IS NOT NULL
            """.formatted(BUCKET, IN_RANGE);

    static final String SUCCESS = """
            SELECT q.cluster_name, q.user_name,
                SUM(CASE WHEN q.state = 'FINISHED' THEN 1 ELSE 0 END) AS finished,
                SUM(CASE WHEN q.state = 'FAILED' THEN 1 ELSE 0 END) AS failed,
                SUM(CASE WHEN q.state = 'LOST' THEN 1 ELSE 0 END) AS lost
            FROM queries q FORCE INDEX (queries_analytics)
            WHERE %s AND q.state IN ('FINISHED', 'FAILED', 'LOST')
            GROUP BY q.cluster_name, q.user_name
            """.formatted(IN_RANGE);

    static final String USERS = """
            SELECT q.user_name, COUNT(*) AS queries, COALESCE(SUM(q.cpu_time_ms), 0) AS cpu_ms, COALESCE(SUM(q.input_bytes), 0) AS input_bytes
            FROM queries q FORCE INDEX (queries_analytics)
            WHERE %s AND q.user_name IS NOT NULL
            GROUP BY q.user_name
            """.formatted(IN_RANGE);

    // every table: the slowest are chosen here, after the parts of the range are added up
    static final String SLOW_TABLES = """
            SELECT t.catalog_name, t.schema_name, t.table_name,
                COUNT(*) AS queries,
                SUM(q.wall_time_ms) AS wall_ms_sum,
                MAX(q.wall_time_ms) AS wall_ms_max
            FROM queries q FORCE INDEX (queries_analytics)
            STRAIGHT_JOIN query_tables t ON t.query_id = q.query_id
            WHERE %s AND q.wall_time_ms IS NOT NULL
            GROUP BY t.catalog_name, t.schema_name, t.table_name
            """.formatted(IN_RANGE);

    // a LOST query's ended_at is the start of the coordinator that lost it (ClusterStatusDao.markQueriesLost)
    static final String LOST = """
            SELECT q.cluster_name, q.ended_at AS restarted_at, COUNT(*) AS queries, COUNT(DISTINCT q.user_name) AS users,
                MIN(q.created_at) AS first_created_at, MAX(q.created_at) AS last_created_at
            FROM queries q FORCE INDEX (queries_lost)
            WHERE q.state = 'LOST' AND q.ended_at >= :from AND q.ended_at < :to AND q.cluster_name IS NOT NULL
            GROUP BY q.cluster_name, q.ended_at
            ORDER BY restarted_at DESC, q.cluster_name
            """;

    static final String ROLLUP_THROUGHPUT = """
            SELECT %s AS bucket, s.cluster_name AS name, SUM(s.queries) AS queries
            FROM query_stats_hourly s FORCE INDEX (PRIMARY)
            WHERE %s
            GROUP BY bucket, name
            """.formatted(HOUR_BUCKET, HOURS);

    static final String ROLLUP_LATENCY = """
            SELECT %s AS bucket, s.cluster_name AS name, s.wall_time_histogram
            FROM query_stats_hourly s FORCE INDEX (PRIMARY)
            WHERE %s AND s.wall_time_queries > 0
            """.formatted(HOUR_BUCKET, HOURS);

    static final String ROLLUP_SUCCESS = """
            SELECT s.cluster_name, SUM(s.finished) AS finished, SUM(s.failed) AS failed, SUM(s.lost) AS lost
            FROM query_stats_hourly s FORCE INDEX (PRIMARY)
            WHERE %s
            GROUP BY s.cluster_name
            """.formatted(HOURS);

    static final String ROLLUP_USERS = rollupUsers("query_user_stats_hourly", "hour");
    static final String ROLLUP_USERS_DAILY = rollupUsers("query_user_stats_daily", "day");

    static final String ROLLUP_SLOW_TABLES = rollupTables("query_table_stats_hourly", "hour");
    static final String ROLLUP_SLOW_TABLES_DAILY = rollupTables("query_table_stats_daily", "day");

    /**
     * Every query this DAO runs on {@code queries}, by name, for {@link #explain}.
     */
    public static final Map<String, String> QUERIES = namedQueries(THROUGHPUT, LATENCY, SUCCESS, USERS, SLOW_TABLES, LOST);

    /**
     * Every query this DAO runs on the rollup tables, by the name of its endpoint, for {@link #explain}.
     */
    public static final Map<String, String> ROLLUP_QUERIES = namedQueries(ROLLUP_THROUGHPUT, ROLLUP_LATENCY, ROLLUP_SUCCESS, ROLLUP_USERS, ROLLUP_SLOW_TABLES, null);

    /**
     * Every query this DAO runs on the daily rollup tables, by the name of its endpoint, for {@link #explain}.
     */
    static final Map<String, String> DAILY_QUERIES = Map.of("success", ROLLUP_USERS_DAILY, "top-users", ROLLUP_USERS_DAILY, "slow-tables", ROLLUP_SLOW_TABLES_DAILY);

    private final Jdbi jdbi;
    private final boolean rollup;

    private static String rollupUsers(String table, String column)
    {
        return """
                SELECT s.user_name, SUM(s.queries) AS queries, SUM(s.cpu_time_ms) AS cpu_ms, SUM(s.input_bytes) AS input_bytes,
                    SUM(s.finished) AS finished, SUM(s.failed) AS failed, SUM(s.lost) AS lost
                FROM %s s FORCE INDEX (PRIMARY)
                WHERE s.%s >= :from AND s.%s < :to
                GROUP BY s.user_name
                """.formatted(table, column, column);
    }

    private static String rollupTables(String table, String column)
    {
        return """
                SELECT s.catalog_name, s.schema_name, s.table_name,
                    SUM(s.queries) AS queries, SUM(s.wall_time_ms_sum) AS wall_ms_sum, MAX(s.wall_time_ms_max) AS wall_ms_max
                FROM %s s FORCE INDEX (PRIMARY)
                WHERE s.%s >= :from AND s.%s < :to
                GROUP BY s.catalog_name, s.schema_name, s.table_name
                """.formatted(table, column, column);
    }

    public AnalyticsDao(Jdbi jdbi)
    {
        this(jdbi, true);
    }

    /**
     * @param rollup false to read every range from {@code queries} alone, as if the rollup had never run
     */
    AnalyticsDao(Jdbi jdbi, boolean rollup)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.rollup = rollup;
    }

    private static Map<String, String> namedQueries(String throughput, String latency, String success, String users, String slowTables, String lost)
    {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("throughput", throughput);
        queries.put("latency", latency);
        queries.put("success", success);
        queries.put("top-users", users);
        queries.put("slow-tables", slowTables);
        if (lost != null) {
            queries.put("lost", lost);
        }
        return Collections.unmodifiableMap(queries);
    }

    /**
     * A part of a range, [from, to), read from {@code queries} or, for whole hours, from the rollup.
     */
    record Part(Instant from, Instant to) {}

    /**
     * How a range is read: the whole hours the rollup holds, by hour or, for whole days, by day
     * (when the result has no buckets), and the rest from {@code queries}.
     */
    record Plan(List<Part> raw, List<Part> hours, List<Part> days)
    {
        /**
         * Every rolled-up part, hours and days.
         */
        List<Part> rolledUp()
        {
            List<Part> parts = new ArrayList<>(hours);
            parts.addAll(days);
            return parts;
        }
    }

    /**
     * The plan for a range: its whole hours before the rollup's {@code rolled_up_to} from the
     * rollup when the result has no buckets, or buckets of whole hours (which start on the hour),
     * except the hours that have queries changed since the rollup's last run; the rest raw. So the
     * answer is the same as from {@code queries} alone, whenever the rollup last ran.
     */
    private Plan plan(Handle handle, AnalyticsRange range, boolean bucketed)
    {
        List<Part> all = List.of(new Part(range.from(), range.to()));
        if (!rollup || (bucketed && range.bucketSeconds() % HOUR.toSeconds() != 0)) {
            return new Plan(all, List.of(), List.of());
        }
        Optional<AnalyticsRollup.State> state = AnalyticsRollup.state(handle);
        if (state.isEmpty()) {
            return new Plan(all, List.of(), List.of());
        }
        Instant firstHour = AnalyticsRollup.hourOf(range.from().plus(HOUR).minusNanos(1));
        Instant endHour = AnalyticsRollup.hourOf(range.to());
        if (state.get().rolledUpTo().isBefore(endHour)) {
            endHour = state.get().rolledUpTo();
        }
        if (!firstHour.isBefore(endHour)) {
            return new Plan(all, List.of(), List.of());
        }
        List<Part> raw = new ArrayList<>();
        List<Part> rolledUp = new ArrayList<>();
        if (range.from().isBefore(firstHour)) {
            raw.add(new Part(range.from(), firstHour));
        }
        // the hours between changed ones from the rollup, the changed ones raw
        Instant next = firstHour;
        for (Instant changed : AnalyticsRollup.changedHours(handle, state.get(), firstHour, endHour)) {
            if (next.isBefore(changed)) {
                rolledUp.add(new Part(next, changed));
            }
            raw.add(new Part(changed, changed.plus(HOUR)));
            next = changed.plus(HOUR);
        }
        if (next.isBefore(endHour)) {
            rolledUp.add(new Part(next, endHour));
        }
        if (endHour.isBefore(range.to())) {
            raw.add(new Part(endHour, range.to()));
        }
        if (bucketed) {
            return new Plan(raw, rolledUp, List.of());
        }
        // the whole days of each rolled-up part by day, the hours around them by hour
        List<Part> hours = new ArrayList<>();
        List<Part> days = new ArrayList<>();
        for (Part part : rolledUp) {
            Instant firstDay = AnalyticsRollup.dayOf(part.from().plus(DAY).minusNanos(1));
            Instant endDay = AnalyticsRollup.dayOf(part.to());
            if (!firstDay.isBefore(endDay)) {
                hours.add(part);
                continue;
            }
            if (part.from().isBefore(firstDay)) {
                hours.add(new Part(part.from(), firstDay));
            }
            days.add(new Part(firstDay, endDay));
            if (endDay.isBefore(part.to())) {
                hours.add(new Part(endDay, part.to()));
            }
        }
        return new Plan(raw, hours, days);
    }

    /**
     * Runs the query on {@code queries} for each raw part of the range's plan, and the queries on
     * the hourly and daily rollup for each of its rolled-up parts.
     */
    private void readParts(Handle handle, AnalyticsRange range, boolean bucketed, String rawSql, String hourlySql, String dailySql, BiConsumer<String, Part> reader)
    {
        Plan plan = plan(handle, range, bucketed);
        for (Part part : plan.raw()) {
            reader.accept(rawSql, part);
        }
        for (Part part : plan.hours()) {
            reader.accept(hourlySql, part);
        }
        for (Part part : plan.days()) {
            reader.accept(dailySql, part);
        }
    }

    /**
     * Queries received per bucket, per cluster and per routing group.
     */
    public Throughput throughput(AnalyticsRange range)
    {
        return jdbi.withHandle(handle -> {
            Map<Long, Map<String, Long>> counts = new TreeMap<>();
            readParts(handle, range, true, THROUGHPUT, ROLLUP_THROUGHPUT, null, (sql, part) -> addCounts(handle, sql, range, part, counts));
            Map<String, String> groups = routingGroups(handle);
            List<QueryCountPoint> byCluster = new ArrayList<>();
            Map<Long, Map<String, Long>> groupCounts = new TreeMap<>();
            counts.forEach((bucket, clusters) -> clusters.forEach((cluster, queries) -> {
                byCluster.add(new QueryCountPoint(range.bucketStart(bucket), cluster, queries));
                String group = groups.get(cluster);
                if (group != null) {
                    groupCounts.computeIfAbsent(bucket, _ -> new TreeMap<>()).merge(group, queries, Long::sum);
                }
            }));
            List<QueryCountPoint> byGroup = new ArrayList<>();
            groupCounts.forEach((bucket, groupQueries) -> groupQueries.forEach((group, queries) ->
                    byGroup.add(new QueryCountPoint(range.bucketStart(bucket), group, queries))));
            return new Throughput(byCluster, byGroup);
        });
    }

    static void addCounts(Handle handle, String sql, AnalyticsRange range, Part part, Map<Long, Map<String, Long>> counts)
    {
        query(handle, sql, range, part).map((rs, context) -> {
            counts.computeIfAbsent(rs.getLong("bucket"), _ -> new TreeMap<>()).merge(rs.getString("name"), rs.getLong("queries"), Long::sum);
            return true;
        }).list();
    }

    private static Map<String, String> routingGroups(Handle handle)
    {
        Map<String, String> groups = new HashMap<>();
        handle.createQuery("SELECT name, routing_group FROM clusters")
                .map((rs, context) -> Map.entry(rs.getString("name"), rs.getString("routing_group")))
                .forEach(entry -> groups.put(entry.getKey(), entry.getValue()));
        return groups;
    }

    /**
     * P50, P90 and P99 of the wall time of completed queries per bucket, per cluster and per routing
     * group, by the nearest rank: exact below 128 ms, within 1.1 % above ({@link LatencyHistogram}).
     */
    public Latency latency(AnalyticsRange range)
    {
        return jdbi.withHandle(handle -> {
            Map<String, String> groups = routingGroups(handle);
            // per bucket (its start), then per cluster or group: the histograms, merged for groups
            Histograms histograms = new Histograms(groups);
            Plan plan = plan(handle, range, true);
            for (Part part : plan.raw()) {
                readHistograms(handle, range, part, histograms);
            }
            for (Part part : plan.rolledUp()) {
                query(handle, ROLLUP_LATENCY, range, part).map((rs, context) -> {
                    byte[] encoded = rs.getBytes(3);
                    histograms.of(rs.getLong(1), rs.getString(2)).forEach(histogram -> histogram.addBytes(encoded));
                    return true;
                }).list();
            }
            return new Latency(points(range, histograms.clusters), points(range, histograms.groups));
        });
    }

    /**
     * Latency histograms per bucket, per cluster and per routing group of the cluster.
     */
    static final class Histograms
    {
        private final Map<String, String> routingGroups;
        final Map<Long, Map<String, LatencyHistogram>> clusters = new TreeMap<>();
        final Map<Long, Map<String, LatencyHistogram>> groups = new TreeMap<>();

        Histograms(Map<String, String> routingGroups)
        {
            this.routingGroups = requireNonNull(routingGroups, "routingGroups is null");
        }

        /**
         * The histograms a wall time of the cluster in the bucket counts in: the cluster's, and
         * its routing group's if it has one.
         */
        List<LatencyHistogram> of(long bucket, String cluster)
        {
            LatencyHistogram ofCluster = clusters.computeIfAbsent(bucket, _ -> new TreeMap<>()).computeIfAbsent(cluster, _ -> new LatencyHistogram());
            String group = routingGroups.get(cluster);
            if (group == null) {
                return List.of(ofCluster);
            }
            return List.of(ofCluster, groups.computeIfAbsent(bucket, _ -> new TreeMap<>()).computeIfAbsent(group, _ -> new LatencyHistogram()));
        }
    }

    static void readHistograms(Handle handle, AnalyticsRange range, Part part, Histograms histograms)
    {
        // streamed (MySQL Connector/J's fetch size Integer.MIN_VALUE): a month is a million rows, never all in memory
        try (Query query = query(handle, LATENCY, range, part)) {
            query.setFetchSize(Integer.MIN_VALUE).scanResultSet((supplier, context) -> {
                ResultSet rs = supplier.get();
                List<LatencyHistogram> last = List.of();
                long lastBucket = -1;
                String lastName = null;
                while (rs.next()) {
                    long bucket = rs.getLong(1);
                    String cluster = rs.getString(2);
                    long wall = rs.getLong(3);
                    if (bucket != lastBucket || !cluster.equals(lastName)) {
                        lastBucket = bucket;
                        lastName = cluster;
                        last = histograms.of(bucket, cluster);
                    }
                    for (LatencyHistogram histogram : last) {
                        histogram.add(wall);
                    }
                }
                return null;
            });
        }
    }

    private static List<LatencyPoint> points(AnalyticsRange range, Map<Long, Map<String, LatencyHistogram>> histograms)
    {
        List<LatencyPoint> points = new ArrayList<>();
        histograms.forEach((bucket, series) -> series.forEach((name, histogram) -> points.add(new LatencyPoint(
                range.bucketStart(bucket),
                name,
                histogram.count(),
                histogram.percentile(0.50),
                histogram.percentile(0.90),
                histogram.percentile(0.99)))));
        return points;
    }

    /**
     * The success rate of the queries that completed, per cluster (by name) and per user (the
     * lowest rates first, at most {@code limit} users).
     */
    public Success success(AnalyticsRange range, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        Outcomes outcomes = jdbi.withHandle(handle -> {
            Outcomes read = new Outcomes();
            Plan plan = plan(handle, range, false);
            for (Part part : plan.raw()) {
                readOutcomes(handle, range, part, read);
            }
            // clusters by hour: a month is a few thousand rows
            for (Part part : plan.rolledUp()) {
                query(handle, ROLLUP_SUCCESS, range, part).map((rs, context) -> read.add(read.clusters, rs.getString("cluster_name"), rs)).list();
            }
            for (Part part : plan.hours()) {
                query(handle, ROLLUP_USERS, range, part).map((rs, context) -> read.add(read.users, rs.getString("user_name"), rs)).list();
            }
            for (Part part : plan.days()) {
                query(handle, ROLLUP_USERS_DAILY, range, part).map((rs, context) -> read.add(read.users, rs.getString("user_name"), rs)).list();
            }
            return read;
        });
        List<SuccessRate> byUser = completed(outcomes.users).stream()
                .sorted(Comparator.comparingDouble(SuccessRate::successPercent)
                        .thenComparing(Comparator.comparingLong(SuccessRate::completed).reversed())
                        .thenComparing(SuccessRate::name))
                .limit(limit)
                .toList();
        return new Success(completed(outcomes.clusters), byUser);
    }

    private static List<SuccessRate> completed(Map<String, SuccessRate> rates)
    {
        return rates.values().stream().filter(rate -> rate.completed() > 0).toList();
    }

    /**
     * The completed queries by outcome, per cluster (by name) and per user.
     */
    static final class Outcomes
    {
        final Map<String, SuccessRate> clusters = new TreeMap<>();
        final Map<String, SuccessRate> users = new TreeMap<>();

        boolean add(Map<String, SuccessRate> rates, String name, ResultSet rs)
                throws SQLException
        {
            if (name != null) {
                SuccessRate rate = SuccessRate.of(name, rs.getLong("finished"), rs.getLong("failed"), rs.getLong("lost"));
                rates.merge(name, rate, (a, b) -> a.plus(b.finished(), b.failed(), b.lost()));
            }
            return true;
        }
    }

    static void readOutcomes(Handle handle, AnalyticsRange range, Part part, Outcomes outcomes)
    {
        query(handle, SUCCESS, range, part).map((rs, context) -> {
            outcomes.add(outcomes.clusters, rs.getString("cluster_name"), rs);
            return outcomes.add(outcomes.users, rs.getString("user_name"), rs);
        }).list();
    }

    /**
     * The users whose queries used the most CPU time, and those that read the most bytes, at most
     * {@code limit} of each.
     */
    public TopUsers topUsers(AnalyticsRange range, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        Collection<UserUsage> users = jdbi.withHandle(handle -> {
            Map<String, UserUsage> usage = new HashMap<>();
            readParts(handle, range, false, USERS, ROLLUP_USERS, ROLLUP_USERS_DAILY, (sql, part) -> readUsage(handle, sql, range, part, usage));
            return usage.values();
        });
        return new TopUsers(
                users.stream()
                        .sorted(Comparator.comparingLong(UserUsage::cpuMillis).reversed().thenComparing(UserUsage::user))
                        .limit(limit)
                        .toList(),
                users.stream()
                        .sorted(Comparator.comparingLong(UserUsage::inputBytes).reversed().thenComparing(UserUsage::user))
                        .limit(limit)
                        .toList());
    }

    static void readUsage(Handle handle, String sql, AnalyticsRange range, Part part, Map<String, UserUsage> usage)
    {
        query(handle, sql, range, part)
                .map((rs, context) -> new UserUsage(rs.getString("user_name"), rs.getLong("queries"), rs.getLong("cpu_ms"), rs.getLong("input_bytes")))
                .forEach(user -> usage.merge(user.user(), user, (a, b) ->
                        new UserUsage(a.user(), a.queries() + b.queries(), a.cpuMillis() + b.cpuMillis(), a.inputBytes() + b.inputBytes())));
    }

    /**
     * The tables whose completed queries took longest on average, at most {@code limit}.
     */
    public List<TableLatency> slowTables(AnalyticsRange range, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        Collection<TableWallTimes> tables = jdbi.withHandle(handle -> {
            Map<List<String>, TableWallTimes> read = new HashMap<>();
            readParts(handle, range, false, SLOW_TABLES, ROLLUP_SLOW_TABLES, ROLLUP_SLOW_TABLES_DAILY, (sql, part) -> readTables(handle, sql, range, part, read));
            return read.values();
        });
        return tables.stream()
                .map(TableWallTimes::latency)
                .sorted(Comparator.comparingLong(TableLatency::averageWallMillis).reversed()
                        .thenComparing(TableLatency::catalog)
                        .thenComparing(TableLatency::schema)
                        .thenComparing(TableLatency::table))
                .limit(limit)
                .toList();
    }

    /**
     * The queries with a wall time that read a table, and the sum and maximum of their wall times.
     */
    record TableWallTimes(String catalog, String schema, String table, long queries, long wallMillisSum, long wallMillisMax)
    {
        TableWallTimes plus(TableWallTimes other)
        {
            return new TableWallTimes(catalog, schema, table, queries + other.queries, wallMillisSum + other.wallMillisSum, Math.max(wallMillisMax, other.wallMillisMax));
        }

        TableLatency latency()
        {
            return new TableLatency(catalog, schema, table, queries, Math.round((double) wallMillisSum / queries), wallMillisMax);
        }
    }

    static void readTables(Handle handle, String sql, AnalyticsRange range, Part part, Map<List<String>, TableWallTimes> tables)
    {
        query(handle, sql, range, part)
                .map((rs, context) -> new TableWallTimes(
                        rs.getString("catalog_name"),
                        rs.getString("schema_name"),
                        rs.getString("table_name"),
                        rs.getLong("queries"),
                        rs.getLong("wall_ms_sum"),
                        rs.getLong("wall_ms_max")))
                .forEach(table -> tables.merge(List.of(table.catalog(), table.schema(), table.table()), table, TableWallTimes::plus));
    }

    /**
     * The LOST queries of each coordinator restart in the range (by the restart's time), newest first.
     */
    public List<LostQueries> lost(AnalyticsRange range)
    {
        return jdbi.withHandle(handle -> query(handle, LOST, range, new Part(range.from(), range.to()))
                .map((rs, context) -> new LostQueries(
                        rs.getString("cluster_name"),
                        instant(rs, "restarted_at"),
                        rs.getLong("queries"),
                        rs.getLong("users"),
                        instant(rs, "first_created_at"),
                        instant(rs, "last_created_at")))
                .list());
    }

    /**
     * MariaDB's plan of each of these queries for the range, as this DAO would read it (the
     * queries on {@code queries} for the whole range when the rollup does not serve it): one entry
     * per table access.
     */
    public List<QueryPlan> explain(AnalyticsRange range)
    {
        return jdbi.withHandle(handle -> {
            List<QueryPlan> plans = new ArrayList<>();
            Part all = new Part(range.from(), range.to());
            QUERIES.forEach((name, sql) -> {
                Plan plan = name.equals("lost") ? new Plan(List.of(all), List.of(), List.of()) : plan(handle, range, name.equals("throughput") || name.equals("latency"));
                for (Part part : plan.raw()) {
                    plans.addAll(explain(handle, name, sql, range, part));
                }
                for (Part part : plan.hours()) {
                    plans.addAll(explain(handle, name, ROLLUP_QUERIES.get(name), range, part));
                }
                for (Part part : plan.days()) {
                    plans.addAll(explain(handle, name, DAILY_QUERIES.get(name), range, part));
                }
            });
            return plans;
        });
    }

    private static List<QueryPlan> explain(Handle handle, String name, String sql, AnalyticsRange range, Part part)
    {
        return query(handle, "EXPLAIN " + sql, range, part)
                .map((rs, context) -> QueryPlan.read(name, rs))
                .list();
    }

    private static Query query(Handle handle, String sql, AnalyticsRange range, Part part)
    {
        Query query = handle.createQuery(sql);
        query.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return query
                .bind("from", Timestamp.from(part.from()))
                .bind("to", Timestamp.from(part.to()))
                .bind("origin", Timestamp.from(range.origin()))
                .bind("bucketSeconds", range.bucketSeconds());
    }

    private static Instant instant(ResultSet rs, String column)
            throws SQLException
    {
        return rs.getTimestamp(column).toInstant();
    }
}
