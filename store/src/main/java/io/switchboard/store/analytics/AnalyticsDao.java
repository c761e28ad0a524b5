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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The analytics of the query history, computed in MySQL over one time range: each query reads a
 * range of {@code created_at} in the covering index {@code queries_analytics} (the LOST queries, a
 * range of the restart time in {@code queries_lost}), so that its cost grows with the range, not
 * with the table. The routing group of a query is the routing group its cluster has in
 * {@code clusters} now; queries of clusters no longer registered count for their cluster only.
 */
public class AnalyticsDao
{
    private static final String IN_RANGE = "q.created_at >= :from AND q.created_at < :to";
    private static final String BUCKET = "TIMESTAMPDIFF(SECOND, :origin, q.created_at) DIV :bucketSeconds";

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

    static final String SLOW_TABLES = """
            SELECT t.catalog_name, t.schema_name, t.table_name,
                COUNT(*) AS queries,
                ROUND(AVG(q.wall_time_ms)) AS avg_wall_ms,
                MAX(q.wall_time_ms) AS max_wall_ms
            FROM queries q FORCE INDEX (queries_analytics)
            STRAIGHT_JOIN query_tables t ON t.query_id = q.query_id
            WHERE %s AND q.wall_time_ms IS NOT NULL
            GROUP BY t.catalog_name, t.schema_name, t.table_name
            ORDER BY avg_wall_ms DESC, t.catalog_name, t.schema_name, t.table_name
            LIMIT :limit
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

    /**
     * Every query this DAO runs, by name, for {@link #explain}.
     */
    public static final Map<String, String> QUERIES = namedQueries();

    private final Jdbi jdbi;

    public AnalyticsDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    private static Map<String, String> namedQueries()
    {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("throughput", THROUGHPUT);
        queries.put("latency", LATENCY);
        queries.put("success", SUCCESS);
        queries.put("top-users", USERS);
        queries.put("slow-tables", SLOW_TABLES);
        queries.put("lost", LOST);
        return Collections.unmodifiableMap(queries);
    }

    /**
     * Queries received per bucket, per cluster and per routing group.
     */
    public Throughput throughput(AnalyticsRange range)
    {
        return jdbi.withHandle(handle -> {
            List<QueryCountPoint> byCluster = query(handle, THROUGHPUT, range, 0)
                    .map((rs, context) -> new QueryCountPoint(range.bucketStart(rs.getLong("bucket")), rs.getString("name"), rs.getLong("queries")))
                    .list();
            Map<String, String> groups = routingGroups(handle);
            Map<Long, Map<String, Long>> groupCounts = new TreeMap<>();
            for (QueryCountPoint point : byCluster) {
                String group = groups.get(point.name());
                if (group != null) {
                    groupCounts.computeIfAbsent(point.time().getEpochSecond(), _ -> new TreeMap<>()).merge(group, point.queries(), Long::sum);
                }
            }
            List<QueryCountPoint> byGroup = new ArrayList<>();
            groupCounts.forEach((second, counts) -> counts.forEach((group, count) ->
                    byGroup.add(new QueryCountPoint(Instant.ofEpochSecond(second), group, count))));
            return new Throughput(sorted(byCluster), byGroup);
        });
    }

    private static List<QueryCountPoint> sorted(List<QueryCountPoint> points)
    {
        return points.stream()
                .sorted(Comparator.comparing(QueryCountPoint::time).thenComparing(QueryCountPoint::name))
                .toList();
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
            Map<Long, Map<String, LatencyHistogram>> clusters = new TreeMap<>();
            Map<Long, Map<String, LatencyHistogram>> groupHistograms = new TreeMap<>();
            readHistograms(handle, range, groups, clusters, groupHistograms);
            return new Latency(points(range, clusters), points(range, groupHistograms));
        });
    }

    private static void readHistograms(Handle handle, AnalyticsRange range, Map<String, String> groups,
            Map<Long, Map<String, LatencyHistogram>> clusters, Map<Long, Map<String, LatencyHistogram>> groupHistograms)
    {
        // streamed (MySQL Connector/J's fetch size Integer.MIN_VALUE): a month is a million rows, never all in memory
        try (Query query = query(handle, LATENCY, range, 0)) {
            query.setFetchSize(Integer.MIN_VALUE).scanResultSet((supplier, context) -> {
                ResultSet rs = supplier.get();
                LatencyHistogram lastCluster = null;
                LatencyHistogram lastGroup = null;
                long lastBucket = -1;
                String lastName = null;
                while (rs.next()) {
                    long bucket = rs.getLong(1);
                    String cluster = rs.getString(2);
                    long wall = rs.getLong(3);
                    if (bucket != lastBucket || !cluster.equals(lastName)) {
                        lastBucket = bucket;
                        lastName = cluster;
                        lastCluster = clusters.computeIfAbsent(bucket, _ -> new TreeMap<>()).computeIfAbsent(cluster, _ -> new LatencyHistogram());
                        String group = groups.get(cluster);
                        lastGroup = group == null ? null : groupHistograms.computeIfAbsent(bucket, _ -> new TreeMap<>()).computeIfAbsent(group, _ -> new LatencyHistogram());
                    }
                    lastCluster.add(wall);
                    if (lastGroup != null) {
                        lastGroup.add(wall);
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
        Map<String, SuccessRate> clusters = new TreeMap<>();
        Map<String, SuccessRate> users = new HashMap<>();
        jdbi.useHandle(handle -> query(handle, SUCCESS, range, 0).map((rs, context) -> {
            long finished = rs.getLong("finished");
            long failed = rs.getLong("failed");
            long lost = rs.getLong("lost");
            String cluster = rs.getString("cluster_name");
            String user = rs.getString("user_name");
            if (cluster != null) {
                clusters.merge(cluster, SuccessRate.of(cluster, finished, failed, lost), (a, b) -> a.plus(b.finished(), b.failed(), b.lost()));
            }
            if (user != null) {
                users.merge(user, SuccessRate.of(user, finished, failed, lost), (a, b) -> a.plus(b.finished(), b.failed(), b.lost()));
            }
            return true;
        }).list());
        List<SuccessRate> byUser = users.values().stream()
                .sorted(Comparator.comparingDouble(SuccessRate::successPercent)
                        .thenComparing(Comparator.comparingLong(SuccessRate::completed).reversed())
                        .thenComparing(SuccessRate::name))
                .limit(limit)
                .toList();
        return new Success(List.copyOf(clusters.values()), byUser);
    }

    /**
     * The users whose queries used the most CPU time, and those that read the most bytes, at most
     * {@code limit} of each.
     */
    public TopUsers topUsers(AnalyticsRange range, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        List<UserUsage> users = jdbi.withHandle(handle -> query(handle, USERS, range, 0)
                .map((rs, context) -> new UserUsage(rs.getString("user_name"), rs.getLong("queries"), rs.getLong("cpu_ms"), rs.getLong("input_bytes")))
                .list());
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

    /**
     * The tables whose completed queries took longest on average, at most {@code limit}.
     */
    public List<TableLatency> slowTables(AnalyticsRange range, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        return jdbi.withHandle(handle -> query(handle, SLOW_TABLES, range, limit)
                .map((rs, context) -> new TableLatency(
                        rs.getString("catalog_name"),
                        rs.getString("schema_name"),
                        rs.getString("table_name"),
                        rs.getLong("queries"),
                        rs.getLong("avg_wall_ms"),
                        rs.getLong("max_wall_ms")))
                .list());
    }

    /**
     * The LOST queries of each coordinator restart in the range (by the restart's time), newest first.
     */
    public List<LostQueries> lost(AnalyticsRange range)
    {
        return jdbi.withHandle(handle -> query(handle, LOST, range, 0)
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
     * MariaDB's plan of each of these queries for the range: one entry per table access.
     */
    public List<QueryPlan> explain(AnalyticsRange range, int limit)
    {
        return jdbi.withHandle(handle -> {
            List<QueryPlan> plans = new ArrayList<>();
            QUERIES.forEach((name, sql) -> plans.addAll(query(handle, "EXPLAIN " + sql, range, limit)
                    .map((rs, context) -> new QueryPlan(
                            name,
                            rs.getString("table"),
                            Optional.ofNullable(rs.getString("type")).orElse(""),
                            Optional.ofNullable(rs.getString("key")),
                            Optional.ofNullable(rs.getString("possible_keys")),
                            rs.getLong("rows"),
                            Optional.ofNullable(rs.getString("Extra"))))
                    .list()));
            return plans;
        });
    }

    private static Query query(Handle handle, String sql, AnalyticsRange range, int limit)
    {
        Query query = handle.createQuery(sql);
        query.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        return query
                .bind("from", Timestamp.from(range.from()))
                .bind("to", Timestamp.from(range.to()))
                .bind("origin", Timestamp.from(range.origin()))
                .bind("bucketSeconds", range.bucketSeconds())
                .bind("limit", limit);
    }

    private static Instant instant(ResultSet rs, String column)
            throws SQLException
    {
        return rs.getTimestamp(column).toInstant();
    }
}
