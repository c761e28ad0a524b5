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
package io.switchboard.benchmark;

import io.switchboard.quickstart.EmbeddedGateway;
import io.switchboard.store.analytics.AnalyticsDao;
import io.switchboard.store.analytics.AnalyticsRange;
import io.switchboard.store.analytics.AnalyticsRollup;
import io.switchboard.store.analytics.QueryPlan;
import io.switchboard.store.history.QueryFilter;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.testing.TestingMysql;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The analytics API on a month of history: generates {@code --queries 1000000} rows of
 * {@code queries} over {@code --days 30} ending now (10 clusters in 3 routing groups, 200 users,
 * both skewed, more queries in working hours, a restart of every cluster every night that loses
 * the queries running then) with the tables they read in {@code query_tables}, in multi-row
 * INSERTs into a real MariaDB, computes the hourly rollup ({@link AnalyticsRollup}, timed), then
 * calls every analytics endpoint of a gateway on that database for the last hour, day, week and
 * 30 days, and the first page of the query history (GET /api/v1/queries, 50 queries, the
 * console's first screen) without a filter, for a user and for a text. Prints markdown tables:
 * the median latency of {@code --calls 5} calls (after one more to warm up) and the indexes
 * EXPLAIN chooses.
 */
public final class AnalyticsBenchmark
{
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter QUERY_ID = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final int ROWS_PER_INSERT = 2000;
    private static final List<String> CLUSTERS = List.of("adhoc-1", "adhoc-2", "adhoc-3", "adhoc-4", "adhoc-5", "etl-1", "etl-2", "etl-3", "bi-1", "bi-2");
    // the share of the queries each cluster runs
    private static final double[] CLUSTER_WEIGHTS = {0.2, 0.18, 0.14, 0.1, 0.08, 0.09, 0.07, 0.05, 0.05, 0.04};
    private static final int USERS = 200;
    private static final int TABLES = 500;
    private static final Map<String, Duration> RANGES = new LinkedHashMap<>();
    private static final Map<String, List<String>> ENDPOINT_QUERIES = new LinkedHashMap<>();
    // the first screen of the console's query history: the 50 newest queries that match
    private static final int FIRST_PAGE = 50;

    static {
        RANGES.put("hour", Duration.ofHours(1));
        RANGES.put("day", Duration.ofDays(1));
        RANGES.put("week", Duration.ofDays(7));
        RANGES.put("30 days", Duration.ofDays(30));
        ENDPOINT_QUERIES.put("throughput", List.of("throughput"));
        ENDPOINT_QUERIES.put("latency", List.of("latency"));
        ENDPOINT_QUERIES.put("success", List.of("success"));
        ENDPOINT_QUERIES.put("top-users", List.of("top-users"));
        ENDPOINT_QUERIES.put("slow-tables", List.of("slow-tables"));
        ENDPOINT_QUERIES.put("lost", List.of("lost"));
    }

    private record Search(String parameters, QueryFilter filter) {}

    // the first page as the console asks for it; a text search without from looks back a day (history.text-search-window)
    private static Map<String, Search> historySearches(Instant now)
    {
        Optional<Instant> day = Optional.of(now.minus(Duration.ofDays(1)));
        Map<String, Search> searches = new LinkedHashMap<>();
        searches.put("no filter", new Search("", QueryFilter.ALL));
        searches.put("user=user-3 (2.7 % of the queries)", new Search("&user=user-3", filter(Optional.of("user-3"), Optional.empty(), Optional.empty())));
        searches.put("user=user-150 (0.1 %)", new Search("&user=user-150", filter(Optional.of("user-150"), Optional.empty(), Optional.empty())));
        searches.put("text=table_7 (1.6 %), the last day", new Search("&text=table_7", filter(Optional.empty(), Optional.of("table_7"), day)));
        searches.put("text=table_321 (0.03 %), the last day", new Search("&text=table_321", filter(Optional.empty(), Optional.of("table_321"), day)));
        searches.put("text=no-such-text (none), the last day", new Search("&text=no-such-text", filter(Optional.empty(), Optional.of("no-such-text"), day)));
        Instant month = now.minus(Duration.ofDays(30));
        searches.put("text=no-such-text (none), from 30 days ago", new Search("&text=no-such-text&from=" + month, filter(Optional.empty(), Optional.of("no-such-text"), Optional.of(month))));
        return searches;
    }

    private static QueryFilter filter(Optional<String> user, Optional<String> text, Optional<Instant> from)
    {
        return new QueryFilter(user, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), from, Optional.empty(), text);
    }

    private AnalyticsBenchmark() {}

    public static void main(String[] args)
    {
        int queries = 1_000_000;
        int days = 30;
        int calls = 5;
        long bufferPoolMegabytes = 1024;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--queries" -> queries = Integer.parseInt(args[i + 1]);
                case "--days" -> days = Integer.parseInt(args[i + 1]);
                case "--calls" -> calls = Integer.parseInt(args[i + 1]);
                case "--buffer-pool-mb" -> bufferPoolMegabytes = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (TestingMysql mysql = TestingMysql.startWithSchema()) {
            long start = System.nanoTime();
            Generated generated = generate(mysql, queries, days, now, bufferPoolMegabytes);
            mysql.execute("ANALYZE TABLE queries, query_tables, clusters");
            double generationSeconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "[analytics] %,d queries generated in %.0f s%n", generated.queries(), generationSeconds);
            AnalyticsRollup rollup = new AnalyticsRollup(mysql.jdbi());
            start = System.nanoTime();
            AnalyticsRollup.Run backfill = rollup.run();
            double backfillSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            AnalyticsRollup.Run incremental = rollup.run();
            double incrementalMillis = (System.nanoTime() - start) / 1e6;
            mysql.execute("ANALYZE TABLE query_stats_hourly, query_user_stats_hourly, query_table_stats_hourly, query_user_stats_daily, query_table_stats_daily");
            String rollupTimes = String.format(Locale.ROOT, "the rollup's first run computed %,d hours in %.1f s, the next (%d hours) took %.0f ms",
                    backfill.hoursComputed(), backfillSeconds, incremental.hoursComputed(), incrementalMillis);
            System.err.println("[analytics] " + rollupTimes);
            String sizes = mysql.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT CONCAT(table_name, ': ', FORMAT(table_rows, 0), ' rows, data ', ROUND(data_length / 1048576), ' MB, indexes ', ROUND(index_length / 1048576), ' MB')
                            FROM information_schema.tables WHERE table_schema = DATABASE()
                                AND table_name IN ('queries', 'query_tables', 'query_stats_hourly', 'query_user_stats_hourly', 'query_table_stats_hourly', 'query_user_stats_daily', 'query_table_stats_daily')
                            ORDER BY table_name
                            """)
                    .mapTo(String.class)
                    .list())
                    .stream().collect(Collectors.joining("; "));
            String bufferPool = mysql.jdbi().withHandle(handle -> handle.createQuery("SELECT @@innodb_buffer_pool_size DIV 1048576").mapTo(String.class).one());

            AnalyticsDao dao = new AnalyticsDao(mysql.jdbi());
            try (EmbeddedGateway gateway = new EmbeddedGateway(mysql, Map.of())) {
                Map<String, Map<String, Double>> millis = new LinkedHashMap<>();
                Map<String, Map<String, String>> plans = new LinkedHashMap<>();
                for (Map.Entry<String, Duration> range : RANGES.entrySet()) {
                    Instant from = now.minus(range.getValue());
                    AnalyticsRange analyticsRange = AnalyticsRange.of(from, now);
                    List<QueryPlan> explained = dao.explain(analyticsRange);
                    for (Map.Entry<String, List<String>> endpoint : ENDPOINT_QUERIES.entrySet()) {
                        String path = "/api/v1/analytics/%s?from=%s&to=%s".formatted(endpoint.getKey(), from, now);
                        double median = medianMillis(gateway, path, calls);
                        System.err.printf(Locale.ROOT, "[analytics] %s, last %s: %.0f ms%n", endpoint.getKey(), range.getKey(), median);
                        millis.computeIfAbsent(endpoint.getKey(), _ -> new LinkedHashMap<>()).put(range.getKey(), median);
                        plans.computeIfAbsent(endpoint.getKey(), _ -> new LinkedHashMap<>()).put(range.getKey(), plan(explained, endpoint.getValue()));
                    }
                }
                QueryHistoryDao history = new QueryHistoryDao(mysql.jdbi());
                Map<String, Double> historyMillis = new LinkedHashMap<>();
                Map<String, String> historyPlans = new LinkedHashMap<>();
                for (Map.Entry<String, Search> search : historySearches(now).entrySet()) {
                    String name = search.getKey();
                    double median = medianMillis(gateway, "/api/v1/queries?limit=" + FIRST_PAGE + search.getValue().parameters(), calls);
                    System.err.printf(Locale.ROOT, "[analytics] history, %s: %.0f ms%n", name, median);
                    historyMillis.put(name, median);
                    historyPlans.put(name, plan(history.explainSearch(search.getValue().filter(), FIRST_PAGE), List.of("search")));
                }
                print(queries, days, generated, generationSeconds, rollupTimes, sizes, bufferPool, calls, millis, plans, historyMillis, historyPlans);
            }
        }
    }

    private record Generated(long queries, long tables, long lost, long restarts) {}

    private static Generated generate(TestingMysql mysql, int count, int days, Instant now, long bufferPoolMegabytes)
    {
        Random random = new Random(25);
        mysql.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2");
        // what a MySQL server for the history of ten clusters would have; the embedded default is 128 MB
        mysql.execute("SET GLOBAL innodb_buffer_pool_size = " + (bufferPoolMegabytes << 20));
        StringBuilder clusters = new StringBuilder("INSERT INTO clusters (name, proxy_url, external_url, routing_group) VALUES ");
        for (int i = 0; i < CLUSTERS.size(); i++) {
            String name = CLUSTERS.get(i);
            clusters.append(i == 0 ? "" : ", ").append("('%s', 'http://127.0.0.1:1', 'http://127.0.0.1:1', '%s')".formatted(name, name.substring(0, name.indexOf('-'))));
        }
        mysql.execute(clusters.toString());

        // creation times: more queries in working hours (UTC), in time order like Trino's query ids
        long startSecond = now.minus(Duration.ofDays(days)).getEpochSecond();
        long[] created = new long[count];
        for (int i = 0; i < count; ) {
            long millis = startSecond * 1000 + random.nextLong(days * 86_400_000L);
            int hour = (int) (millis / 3_600_000 % 24);
            if (random.nextDouble() < (hour >= 7 && hour < 19 ? 1.0 : 0.3)) {
                created[i++] = millis;
            }
        }
        Arrays.sort(created);
        double[] userWeights = zipf(USERS, 1.1);
        double[] tableWeights = zipf(TABLES, 1.0);

        long tables = 0;
        long lost = 0;
        StringBuilder queries = new StringBuilder();
        StringBuilder tableRows = new StringBuilder();
        int inQueries = 0;
        int inTables = 0;
        for (int i = 0; i < count; i++) {
            Instant createdAt = Instant.ofEpochMilli(created[i]);
            int clusterIndex = pick(random, CLUSTER_WEIGHTS);
            String cluster = CLUSTERS.get(clusterIndex);
            String user = "user-" + pick(random, userWeights);
            String id = "%s_%05d_%05d_%s".formatted(QUERY_ID.format(createdAt), i % 100_000, clusterIndex, Integer.toString(random.nextInt(1 << 25), 36));
            // every night at 03:00 + 5 minutes per cluster, each coordinator restarts: what it ran then is LOST
            Instant restart = createdAt.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(3)).plus(Duration.ofMinutes(5L * clusterIndex));
            boolean isLost = createdAt.isBefore(restart) && createdAt.isAfter(restart.minus(Duration.ofMinutes(10))) && restart.isBefore(now) && random.nextInt(3) == 0;
            boolean running = createdAt.isAfter(now.minus(Duration.ofMinutes(2)));
            double logWall = 7 + 1.5 * random.nextGaussian() + (cluster.startsWith("etl") ? 1.5 : 0);
            long wall = Math.max(5, Math.min(6 * 3_600_000L, (long) Math.exp(logWall)));
            String state;
            String ended;
            String metrics;
            // when the last event of the query was written, as the event listener and markQueriesLost set it
            Instant updatedAt = createdAt;
            if (isLost) {
                updatedAt = restart;
                state = "LOST";
                ended = quote(DATETIME.format(restart));
                metrics = "NULL, NULL, NULL, NULL";
                lost++;
            }
            else if (running) {
                state = "QUEUED";
                ended = "NULL";
                metrics = "NULL, NULL, NULL, NULL";
            }
            else {
                state = random.nextInt(100) < 8 ? "FAILED" : "FINISHED";
                ended = quote(DATETIME.format(createdAt.plusMillis(wall)));
                updatedAt = createdAt.plusMillis(wall).isBefore(now) ? createdAt.plusMillis(wall) : now;
                long cpu = (long) (wall * (0.5 + 8 * random.nextDouble()));
                long bytes = (long) (wall * 1000 * Math.exp(7 * random.nextDouble()));
                metrics = "%d, %d, %d, %d".formatted(wall, cpu, bytes, bytes / 100);
            }
            Set<Integer> read = new TreeSet<>();
            for (int t = random.nextInt(4); t > 0; t--) {
                read.add(pick(random, tableWeights));
            }
            String firstTable = read.isEmpty() ? "" : "table_" + read.iterator().next();
            for (int table : read) {
                String name = "table_" + table;
                tableRows.append(inTables == 0 ? "INSERT IGNORE INTO query_tables (query_id, catalog_name, schema_name, table_name) VALUES " : ", ")
                        .append("('%s', 'hive', 'schema_%d', '%s')".formatted(id, table % 20, name));
                tables++;
                if (++inTables == ROWS_PER_INSERT) {
                    mysql.execute(tableRows.toString());
                    tableRows.setLength(0);
                    inTables = 0;
                }
            }
            queries.append(inQueries == 0 ? """
                            INSERT INTO queries (query_id, cluster_name, user_name, source, catalog_name, schema_name, query_text, state, error_name, error_type,
                                created_at, started_at, ended_at, wall_time_ms, cpu_time_ms, input_bytes, input_rows, updated_at) VALUES
                            """ : ", ")
                    .append("('%s', '%s', '%s', 'trino-cli', 'hive', 'schema_%d', 'SELECT user_id, COUNT(*) FROM hive.schema_%d.%s WHERE day = DATE ''%s'' GROUP BY 1 -- generated by AnalyticsBenchmark for query %d', '%s', %s, %s, %s, %s, %s, %s, %s)".formatted(
                            id, cluster, user, i % 20, i % 20, firstTable.isEmpty() ? "t" : firstTable, DATETIME.format(createdAt).substring(0, 10), i, state,
                            state.equals("FAILED") ? "'GENERIC_USER_ERROR'" : state.equals("LOST") ? "'COORDINATOR_RESTARTED'" : "NULL",
                            state.equals("FAILED") ? "'USER_ERROR'" : state.equals("LOST") ? "'EXTERNAL'" : "NULL",
                            quote(DATETIME.format(createdAt)), quote(DATETIME.format(createdAt.plusMillis(10))), ended, metrics, quote(DATETIME.format(updatedAt))));
            if (++inQueries == ROWS_PER_INSERT) {
                mysql.execute(queries.toString());
                queries.setLength(0);
                inQueries = 0;
            }
        }
        if (inQueries > 0) {
            mysql.execute(queries.toString());
        }
        if (inTables > 0) {
            mysql.execute(tableRows.toString());
        }
        long restarts = mysql.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(DISTINCT cluster_name, ended_at) FROM queries WHERE state = 'LOST'").mapTo(Long.class).one());
        return new Generated(count, tables, lost, restarts);
    }

    private static String quote(String value)
    {
        return "'" + value + "'";
    }

    private static double[] zipf(int size, double exponent)
    {
        double[] weights = new double[size];
        for (int i = 0; i < size; i++) {
            weights[i] = 1 / Math.pow(i + 1, exponent);
        }
        return weights;
    }

    private static int pick(Random random, double[] weights)
    {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double point = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double medianMillis(EmbeddedGateway gateway, String path, int calls)
    {
        call(gateway, path);
        double[] millis = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call(gateway, path);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return calls % 2 == 1 ? millis[calls / 2] : (millis[calls / 2 - 1] + millis[calls / 2]) / 2;
    }

    private static void call(EmbeddedGateway gateway, String path)
    {
        HttpResponse<String> response = gateway.send("GET", path, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET %s: HTTP %s %s".formatted(path, response.statusCode(), response.body()));
        }
    }

    // the tables as the queries name them: queries (q), query_tables (t), query_routes (r), a rollup table (s)
    private static final Map<String, String> ALIASES = Map.of("q", "queries", "t", "query_tables", "r", "query_routes", "s", "rollup");

    // the index of each table access, as EXPLAIN names it, with the rows it expects to read
    private static String plan(List<QueryPlan> plans, List<String> queries)
    {
        return plans.stream()
                .filter(plan -> queries.contains(plan.query()) && ALIASES.containsKey(plan.table()))
                .map(plan -> "%s %s %s (%,d rows)".formatted(ALIASES.get(plan.table()), plan.type(), plan.key().orElse("no index"), plan.rows()))
                .collect(Collectors.joining(", "));
    }

    private static void print(int queries, int days, Generated generated, double generationSeconds, String rollupTimes, String sizes, String bufferPool, int calls,
            Map<String, Map<String, Double>> millis, Map<String, Map<String, String>> plans, Map<String, Double> historyMillis, Map<String, String> historyPlans)
    {
        System.out.printf(Locale.ROOT, "%,d queries over %d days (%,d tables read, %,d LOST in %,d restarts) generated and analyzed in %.0f s; %s; %s; InnoDB buffer pool %s MB%n%n",
                generated.queries(), days, generated.tables(), generated.lost(), generated.restarts(), generationSeconds, rollupTimes, sizes, bufferPool);
        System.out.println("| endpoint | last hour | last day | last week | 30 days | EXPLAIN (table, access, key, expected rows) |");
        System.out.println("|---|---:|---:|---:|---:|---|");
        for (String endpoint : ENDPOINT_QUERIES.keySet()) {
            StringBuilder line = new StringBuilder("| `" + endpoint + "` |");
            for (String range : RANGES.keySet()) {
                line.append(String.format(Locale.ROOT, " %.0f ms |", millis.get(endpoint).get(range)));
            }
            List<String> distinctPlans = plans.get(endpoint).values().stream().distinct().toList();
            line.append(' ').append(distinctPlans.size() == 1
                    ? distinctPlans.getFirst()
                    : plans.get(endpoint).entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue()).collect(Collectors.joining("; ")));
            line.append(" |");
            System.out.println(line);
        }
        System.out.println();
        System.out.println("| history, first page of " + FIRST_PAGE + " | median | EXPLAIN (table, access, key, expected rows) |");
        System.out.println("|---|---:|---|");
        historyMillis.forEach((name, median) -> System.out.printf(Locale.ROOT, "| %s | %.0f ms | %s |%n", name, median, historyPlans.get(name)));
        System.out.printf(Locale.ROOT, "%nMedian of %d calls through the gateway's HTTP API after one warm-up call, %,d queries in the table.%n", calls, queries);
    }
}
