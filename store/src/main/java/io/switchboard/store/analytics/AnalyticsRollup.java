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

import io.switchboard.store.analytics.AnalyticsDao.Histograms;
import io.switchboard.store.analytics.AnalyticsDao.Outcomes;
import io.switchboard.store.analytics.AnalyticsDao.Part;
import io.switchboard.store.analytics.AnalyticsDao.TableWallTimes;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.switchboard.store.analytics.AnalyticsDao.SLOW_TABLES;
import static io.switchboard.store.analytics.AnalyticsDao.THROUGHPUT;
import static io.switchboard.store.analytics.AnalyticsDao.USERS;
import static java.time.ZoneOffset.UTC;
import static java.util.Objects.requireNonNull;

/**
 * Maintains the hourly rollup that {@link AnalyticsDao} reads for whole hours
 * ({@code query_stats_hourly}, {@code query_user_stats_hourly}, {@code query_table_stats_hourly}),
 * and the daily sums of the last two that it reads for whole days ({@code query_user_stats_daily},
 * {@code query_table_stats_daily}; a day is computed from its hours, with them).
 * An hour is always computed whole from {@code queries}, with the same queries that the DAO runs on
 * raw rows, replacing what the rollup held for it (DELETE and INSERT in one transaction): running
 * it again, or twice at once, gives the same rows, never counts twice. A run computes every closed
 * hour (before the current hour of the database's clock) not rolled up yet, oldest first, and again
 * every hour that has a query whose {@code updated_at} is at or after the previous run's start
 * less {@link #OVERLAP}: every writer of {@code queries} sets it (the event listener's completions,
 * {@code markQueriesLost}), so a query that completes or is marked LOST hours after its creation
 * changes its hour at the next run. Runs of several gateways take turns through a MySQL named lock
 * ({@code GET_LOCK}): a run that finds it taken does nothing.
 */
public class AnalyticsRollup
{
    /**
     * How far before the previous run's start changes are read again: a transaction that wrote
     * {@code queries} then but committed after that run read its hours is still seen.
     */
    public static final Duration OVERLAP = Duration.ofMinutes(5);
    static final String NAME = "hourly";
    private static final String LOCK = "switchboard.analytics_rollup";
    private static final Duration HOUR = Duration.ofHours(1);

    private static final String CHANGED_HOURS = """
            SELECT DISTINCT TIMESTAMPADD(HOUR, TIMESTAMPDIFF(HOUR, '2000-01-01', created_at), '2000-01-01') AS hour
            FROM queries FORCE INDEX (queries_updated_at)
            WHERE updated_at >= :since AND created_at >= :from AND created_at < :to
            ORDER BY hour
            """;
    private static final List<String> TABLES = List.of("query_stats_hourly", "query_user_stats_hourly", "query_table_stats_hourly");
    private static final List<String> DAILY_TABLES = List.of("query_user_stats_daily", "query_table_stats_daily");
    private static final Duration DAY = Duration.ofDays(1);
    // a day of users and of tables: the sums of its hours
    private static final String USERS_OF_DAY = """
            INSERT INTO query_user_stats_daily (day, user_name, queries, cpu_time_ms, input_bytes, finished, failed, lost)
            SELECT :day, user_name, SUM(queries), SUM(cpu_time_ms), SUM(input_bytes), SUM(finished), SUM(failed), SUM(lost)
            FROM query_user_stats_hourly FORCE INDEX (PRIMARY)
            WHERE hour >= :day AND hour < :nextDay
            GROUP BY user_name
            """;
    private static final String TABLES_OF_DAY = """
            INSERT INTO query_table_stats_daily (day, catalog_name, schema_name, table_name, queries, wall_time_ms_sum, wall_time_ms_max)
            SELECT :day, catalog_name, schema_name, table_name, SUM(queries), SUM(wall_time_ms_sum), MAX(wall_time_ms_max)
            FROM query_table_stats_hourly FORCE INDEX (PRIMARY)
            WHERE hour >= :day AND hour < :nextDay
            GROUP BY catalog_name, schema_name, table_name
            """;

    private final Jdbi jdbi;

    public AnalyticsRollup(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * What one run did: nothing when another held the lock; else the hours it computed, and the
     * hour before which the rollup is complete now.
     */
    public record Run(boolean locked, int hoursComputed, Optional<Instant> rolledUpTo)
    {
        public Run
        {
            requireNonNull(rolledUpTo, "rolledUpTo is null");
        }
    }

    /**
     * Brings the rollup up to date: the closed hours not rolled up yet, and those whose queries
     * changed since the previous run.
     */
    public Run run()
    {
        return jdbi.withHandle(handle -> {
            if (!lock(handle, 0)) {
                return new Run(false, 0, Optional.empty());
            }
            try {
                return runLocked(handle);
            }
            finally {
                unlock(handle);
            }
        });
    }

    private static Run runLocked(Handle handle)
    {
        Instant now = handle.createQuery("SELECT UTC_TIMESTAMP(3)").mapTo(LocalDateTime.class).one().toInstant(UTC);
        Instant currentHour = hourOf(now);
        Optional<State> state = state(handle);
        SortedSet<Instant> changed = new TreeSet<>();
        Instant rolledUpTo;
        if (state.isPresent()) {
            rolledUpTo = state.get().rolledUpTo();
            changed.addAll(changedHours(handle, state.get(), Instant.EPOCH, rolledUpTo));
        }
        else {
            rolledUpTo = Optional.ofNullable(handle.createQuery("SELECT MIN(created_at) FROM queries").mapTo(Timestamp.class).one())
                    .map(first -> hourOf(first.toInstant()))
                    .filter(first -> first.isBefore(currentHour))
                    .orElse(currentHour);
        }
        // the changed hours of each day, then the day, in one transaction
        Map<Instant, List<Instant>> changedDays = new TreeMap<>();
        changed.forEach(hour -> changedDays.computeIfAbsent(dayOf(hour), _ -> new ArrayList<>()).add(hour));
        changedDays.forEach((day, hours) -> handle.useTransaction(transaction -> {
            hours.forEach(hour -> compute(transaction, hour));
            computeDay(transaction, day);
        }));
        int computed = changed.size();
        // every change before now is in the hours computed so far: saved with each new hour, so that
        // a run that stops half-way (interrupted: the gateway stops) keeps what it did; a day once its
        // last hour is in; hours without queries are skipped, the days that end among them summed
        Instant hour = rolledUpTo;
        while (hour.isBefore(currentHour) && !Thread.currentThread().isInterrupted()) {
            Instant from = hour;
            Instant withQueries = nextHourWithQueries(handle, hour, currentHour);
            Instant next = withQueries.isAfter(hour) ? withQueries : hour.plus(HOUR);
            handle.useTransaction(transaction -> {
                if (withQueries.equals(from)) {
                    compute(transaction, from);
                }
                for (Instant day = dayOf(from); !day.plus(DAY).isAfter(next); day = day.plus(DAY)) {
                    computeDay(transaction, day);
                }
                saveState(transaction, next, now);
            });
            computed += withQueries.equals(from) ? 1 : 0;
            hour = next;
        }
        if (hour.isBefore(currentHour)) {
            // interrupted: saved up to here
            return new Run(true, computed, Optional.of(hour));
        }
        saveState(handle, hour, now);
        return new Run(true, computed, Optional.of(hour));
    }

    /**
     * The first hour at or after {@code hour} that has a query, or {@code end} if none before it.
     */
    private static Instant nextHourWithQueries(Handle handle, Instant hour, Instant end)
    {
        return Optional.ofNullable(handle.createQuery("SELECT MIN(created_at) FROM queries WHERE created_at >= :hour AND created_at < :end")
                        .bind("hour", Timestamp.from(hour))
                        .bind("end", Timestamp.from(end))
                        .mapTo(Timestamp.class)
                        .one())
                .map(first -> hourOf(first.toInstant()))
                .orElse(end);
    }

    /**
     * Removes from the rollup the hours before the cutoff's hour, and computes the cutoff's hour
     * again: for the retention of the history, after it deleted the queries created before the
     * cutoff.
     *
     * @return false when another run held the lock for 10 seconds (nothing changed)
     */
    public boolean forgetBefore(Instant cutoff)
    {
        Instant hour = hourOf(cutoff);
        Instant day = dayOf(cutoff);
        return jdbi.withHandle(handle -> {
            if (!lock(handle, 10)) {
                return false;
            }
            try {
                Optional<State> state = state(handle);
                handle.useTransaction(transaction -> {
                    for (String table : TABLES) {
                        transaction.createUpdate("DELETE FROM " + table + " WHERE hour < :hour").bind("hour", Timestamp.from(hour)).execute();
                    }
                    for (String table : DAILY_TABLES) {
                        transaction.createUpdate("DELETE FROM " + table + " WHERE day < :day").bind("day", Timestamp.from(day)).execute();
                    }
                    if (state.isPresent() && hour.isBefore(state.get().rolledUpTo())) {
                        compute(transaction, hour);
                        computeDay(transaction, day);
                    }
                });
                return true;
            }
            finally {
                unlock(handle);
            }
        });
    }

    /**
     * The hours in [from, to), in order, that have a query changed since the rollup last read them: a query
     * whose {@code updated_at} is at or after the last run's start less {@link #OVERLAP}.
     */
    static List<Instant> changedHours(Handle handle, State state, Instant from, Instant to)
    {
        return handle.createQuery(CHANGED_HOURS)
                .bind("since", Timestamp.from(state.changesSeenTo().minus(OVERLAP)))
                .bind("from", Timestamp.from(from))
                .bind("to", Timestamp.from(to))
                .map((rs, context) -> rs.getTimestamp("hour").toInstant())
                .list();
    }

    static Instant hourOf(Instant instant)
    {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }

    static Instant dayOf(Instant instant)
    {
        return instant.truncatedTo(ChronoUnit.DAYS);
    }

    /**
     * Every hour before {@code rolledUpTo} is in the rollup, with every change to {@code queries}
     * whose {@code updated_at} is before {@code changesSeenTo} less {@link #OVERLAP}.
     */
    record State(Instant rolledUpTo, Instant changesSeenTo) {}

    static Optional<State> state(Handle handle)
    {
        return handle.createQuery("SELECT rolled_up_to, changes_seen_to FROM query_stats_rollup WHERE name = :name")
                .bind("name", NAME)
                .map((rs, context) -> new State(rs.getTimestamp("rolled_up_to").toInstant(), rs.getTimestamp("changes_seen_to").toInstant()))
                .findOne();
    }

    private static void saveState(Handle handle, Instant rolledUpTo, Instant changesSeenTo)
    {
        handle.createUpdate("""
                        INSERT INTO query_stats_rollup (name, rolled_up_to, changes_seen_to, updated_at) VALUES (:name, :rolledUpTo, :changesSeenTo, UTC_TIMESTAMP(3))
                        ON DUPLICATE KEY UPDATE rolled_up_to = VALUES(rolled_up_to), changes_seen_to = VALUES(changes_seen_to), updated_at = VALUES(updated_at)
                        """)
                .bind("name", NAME)
                .bind("rolledUpTo", Timestamp.from(rolledUpTo))
                .bind("changesSeenTo", Timestamp.from(changesSeenTo))
                .execute();
    }

    private static boolean lock(Handle handle, int timeoutSeconds)
    {
        Integer locked = handle.createQuery("SELECT GET_LOCK(:lock, :timeout)")
                .bind("lock", LOCK)
                .bind("timeout", timeoutSeconds)
                .mapTo(Integer.class)
                .one();
        return locked != null && locked == 1;
    }

    private static void unlock(Handle handle)
    {
        handle.createQuery("SELECT RELEASE_LOCK(:lock)").bind("lock", LOCK).mapTo(Integer.class).one();
    }

    /**
     * Replaces the rollup's rows of one hour with those computed from its queries now.
     */
    private static void compute(Handle handle, Instant hour)
    {
        Timestamp start = Timestamp.from(hour);
        for (String table : TABLES) {
            handle.createUpdate("DELETE FROM " + table + " WHERE hour = :hour").bind("hour", start).execute();
        }
        AnalyticsRange range = new AnalyticsRange(hour, hour.plus(HOUR), HOUR);
        Part part = new Part(range.from(), range.to());
        Map<Long, Map<String, Long>> counts = new TreeMap<>();
        AnalyticsDao.addCounts(handle, THROUGHPUT, range, part, counts);
        Histograms histograms = new Histograms(Map.of());
        AnalyticsDao.readHistograms(handle, range, part, histograms);
        Outcomes outcomes = new Outcomes();
        AnalyticsDao.readOutcomes(handle, range, part, outcomes);
        Map<String, UserUsage> usage = new HashMap<>();
        AnalyticsDao.readUsage(handle, USERS, range, part, usage);
        Map<List<String>, TableWallTimes> tables = new HashMap<>();
        AnalyticsDao.readTables(handle, SLOW_TABLES, range, part, tables);

        PreparedBatch clusterRows = handle.prepareBatch("""
                INSERT INTO query_stats_hourly (hour, cluster_name, queries, finished, failed, lost, wall_time_queries, wall_time_histogram)
                VALUES (:hour, :name, :queries, :finished, :failed, :lost, :wallQueries, :histogram)
                """);
        Map<String, LatencyHistogram> clusterHistograms = histograms.clusters.getOrDefault(0L, Map.of());
        counts.getOrDefault(0L, Map.of()).forEach((cluster, queries) -> {
            SuccessRate rate = outcomes.clusters.getOrDefault(cluster, SuccessRate.of(cluster, 0, 0, 0));
            LatencyHistogram histogram = clusterHistograms.getOrDefault(cluster, new LatencyHistogram());
            bindOutcomes(clusterRows.bind("hour", start).bind("name", cluster).bind("queries", queries), rate)
                    .bind("wallQueries", histogram.count())
                    .bind("histogram", histogram.toBytes())
                    .add();
        });
        execute(clusterRows);

        PreparedBatch userRows = handle.prepareBatch("""
                INSERT INTO query_user_stats_hourly (hour, user_name, queries, cpu_time_ms, input_bytes, finished, failed, lost)
                VALUES (:hour, :name, :queries, :cpu, :bytes, :finished, :failed, :lost)
                """);
        usage.forEach((user, used) -> bindOutcomes(userRows.bind("hour", start).bind("name", user), outcomes.users.getOrDefault(user, SuccessRate.of(user, 0, 0, 0)))
                .bind("queries", used.queries())
                .bind("cpu", used.cpuMillis())
                .bind("bytes", used.inputBytes())
                .add());
        execute(userRows);

        PreparedBatch tableRows = handle.prepareBatch("""
                INSERT INTO query_table_stats_hourly (hour, catalog_name, schema_name, table_name, queries, wall_time_ms_sum, wall_time_ms_max)
                VALUES (:hour, :catalog, :schema, :table, :queries, :sum, :max)
                """);
        tables.values().forEach(table -> tableRows.bind("hour", start)
                .bind("catalog", table.catalog())
                .bind("schema", table.schema())
                .bind("table", table.table())
                .bind("queries", table.queries())
                .bind("sum", table.wallMillisSum())
                .bind("max", table.wallMillisMax())
                .add());
        execute(tableRows);
    }

    /**
     * Replaces the daily rollup's rows of one day with the sums of its hours in the hourly rollup.
     */
    private static void computeDay(Handle handle, Instant day)
    {
        Timestamp start = Timestamp.from(day);
        Timestamp end = Timestamp.from(day.plus(DAY));
        for (String table : DAILY_TABLES) {
            handle.createUpdate("DELETE FROM " + table + " WHERE day = :day").bind("day", start).execute();
        }
        for (String sql : List.of(USERS_OF_DAY, TABLES_OF_DAY)) {
            handle.createUpdate(sql).bind("day", start).bind("nextDay", end).execute();
        }
    }

    private static PreparedBatch bindOutcomes(PreparedBatch batch, SuccessRate rate)
    {
        return batch.bind("finished", rate.finished()).bind("failed", rate.failed()).bind("lost", rate.lost());
    }

    private static void execute(PreparedBatch batch)
    {
        if (batch.size() > 0) {
            batch.execute();
        }
    }
}
