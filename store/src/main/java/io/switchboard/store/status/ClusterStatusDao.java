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

import io.airlift.log.Logger;
import io.switchboard.store.cluster.DesiredState;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.time.ZoneOffset.UTC;
import static java.util.Objects.requireNonNull;

/**
 * The {@code cluster_status} table, written by each cluster's router plugin, and the
 * {@code clusters.desired_state} the plugin obeys. Portable to MySQL 8.0+ and MariaDB 10.6+.
 */
public class ClusterStatusDao
{
    private static final Logger log = Logger.get(ClusterStatusDao.class);

    private static final String COLUMNS = "cluster_name, state, running_queries, queued_queries, blocked_queries, active_workers, " +
            "reserved_memory_bytes, total_memory_bytes, coordinator_node_id, coordinator_started_at, trino_version, query_counts, heartbeat_at";

    private static final String UPSERT = """
            INSERT INTO cluster_status (%s)
            VALUES (:clusterName, :state, :runningQueries, :queuedQueries, :blockedQueries, :activeWorkers,
                    :reservedMemoryBytes, :totalMemoryBytes, :coordinatorNodeId, :coordinatorStartedAt, :trinoVersion, :queryCounts, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                state = VALUES(state),
                running_queries = VALUES(running_queries),
                queued_queries = VALUES(queued_queries),
                blocked_queries = VALUES(blocked_queries),
                active_workers = VALUES(active_workers),
                reserved_memory_bytes = VALUES(reserved_memory_bytes),
                total_memory_bytes = VALUES(total_memory_bytes),
                coordinator_node_id = VALUES(coordinator_node_id),
                coordinator_started_at = VALUES(coordinator_started_at),
                trino_version = VALUES(trino_version),
                query_counts = VALUES(query_counts),
                heartbeat_at = VALUES(heartbeat_at)
            """.formatted(COLUMNS);

    private static final RowMapper<ClusterStatus> MAPPER = (resultSet, context) -> new ClusterStatus(
            new StatusReport(
                    resultSet.getString("cluster_name"),
                    ClusterState.valueOf(resultSet.getString("state")),
                    resultSet.getInt("running_queries"),
                    resultSet.getInt("queued_queries"),
                    resultSet.getInt("blocked_queries"),
                    resultSet.getInt("active_workers"),
                    resultSet.getLong("reserved_memory_bytes"),
                    resultSet.getLong("total_memory_bytes"),
                    Optional.ofNullable(resultSet.getString("coordinator_node_id")),
                    instant(resultSet, "coordinator_started_at"),
                    Optional.ofNullable(resultSet.getString("trino_version")),
                    queryCounts(resultSet.getString("query_counts"))),
            instant(resultSet, "heartbeat_at").orElseThrow());

    /**
     * Error code of queries lost in a coordinator restart, in the range Switchboard uses for its
     * own errors (0x7F00_0000 and up), apart from Trino's codes.
     */
    public static final int COORDINATOR_RESTARTED_ERROR_CODE = 0x7F00_0007;
    // how far back from a restart routes are searched for queries no event listener reported: far enough for any
    // listener that was going to, and a bound that keeps the search off the whole table
    private static final Duration ROUTED_ONLY_LOOKBACK = Duration.ofDays(1);
    private static final String LOST_MESSAGE = "CONCAT('Cluster ', :cluster, ' restarted at ', :restartedAtText, ' UTC before the query completed')";
    private static final String LOST_ERROR = "error_code = :errorCode, error_name = 'COORDINATOR_RESTARTED', error_type = 'EXTERNAL', error_message = " + LOST_MESSAGE;
    private static final String LOST_ERROR_VALUES = ":errorCode, 'COORDINATOR_RESTARTED', 'EXTERNAL', " + LOST_MESSAGE;

    private final Jdbi jdbi;

    public ClusterStatusDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Replaces the cluster's row; {@code heartbeat_at} is the database's clock, so readers judge
     * staleness against one clock whatever the coordinators' clocks say.
     */
    public void report(StatusReport report)
    {
        requireNonNull(report, "report is null");
        jdbi.useHandle(handle -> handle.createUpdate(UPSERT)
                .bindMethods(report)
                .bind("state", report.state().name())
                .bind("coordinatorNodeId", report.coordinatorNodeId().orElse(null))
                .bind("coordinatorStartedAt", report.coordinatorStartedAt().map(instant -> LocalDateTime.ofInstant(instant, UTC)).orElse(null))
                .bind("trinoVersion", report.trinoVersion().orElse(null))
                .bind("queryCounts", report.queryCounts().map(QueryCounts::toJson).orElse(null))
                .execute());
    }

    public Optional<ClusterStatus> get(String clusterName)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM cluster_status WHERE cluster_name = :name")
                .bind("name", clusterName)
                .map(MAPPER)
                .findOne());
    }

    public List<ClusterStatus> list()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM cluster_status ORDER BY cluster_name")
                .map(MAPPER)
                .list());
    }

    /**
     * What the operator asked of the cluster in {@code clusters.desired_state}; empty if the
     * gateway does not know a cluster of that name.
     */
    public Optional<DesiredState> desiredState(String clusterName)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT desired_state FROM clusters WHERE name = :name")
                .bind("name", clusterName)
                .mapTo(String.class)
                .findOne()
                .map(DesiredState::valueOf));
    }

    /**
     * The database's clock, against which {@code heartbeat_at} is judged.
     */
    public Instant databaseNow()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT UTC_TIMESTAMP(3)")
                .mapTo(LocalDateTime.class)
                .one()
                .toInstant(UTC));
    }

    /**
     * Marks LOST the queries of a cluster whose coordinator started at {@code restartedAt} that
     * were created before it and never completed: they died with the previous coordinator. A
     * query that a gateway routed there in the day before the restart and that no event listener
     * ever reported gets a row of its own, created when the gateway received it.
     *
     * @return the number of queries marked
     */
    public int markQueriesLost(String clusterName, Instant restartedAt)
    {
        LocalDateTime restarted = LocalDateTime.ofInstant(restartedAt, UTC);
        Map<String, Object> bindings = lostBindings(clusterName, restarted);
        return jdbi.inTransaction(handle -> {
            int reported = handle.createUpdate("UPDATE queries SET state = 'LOST', ended_at = COALESCE(ended_at, :restartedAt), " + LOST_ERROR + ", " +
                            "updated_at = UTC_TIMESTAMP(3) " +
                            "WHERE cluster_name = :cluster AND state IN ('QUEUED', 'RUNNING') AND created_at < :restartedAt")
                    .bindMap(bindings)
                    .execute();
            int routedOnly = handle.createUpdate("""
                            INSERT INTO queries (query_id, cluster_name, user_name, source, state, created_at, ended_at, error_code, error_name, error_type, error_message)
                            SELECT r.query_id, r.cluster_name, r.user_name, r.source, 'LOST', r.received_at, :restartedAt, %s
                            FROM query_routes r
                            LEFT JOIN queries q ON q.query_id = r.query_id
                            WHERE r.received_at >= :routedSince AND r.received_at < :restartedAt AND r.cluster_name = :cluster AND q.query_id IS NULL
                            """.formatted(LOST_ERROR_VALUES))
                    .bindMap(bindings)
                    .bind("routedSince", restarted.minus(ROUTED_ONLY_LOOKBACK))
                    .execute();
            return reported + routedOnly;
        });
    }

    private static Map<String, Object> lostBindings(String clusterName, LocalDateTime restarted)
    {
        return Map.of(
                "cluster", clusterName,
                "errorCode", COORDINATOR_RESTARTED_ERROR_CODE,
                "restartedAt", restarted,
                "restartedAtText", restarted.toString().replace('T', ' '));
    }

    private static Optional<QueryCounts> queryCounts(String json)
    {
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueryCounts.fromJson(json));
        }
        catch (IllegalArgumentException e) {
            // one unreadable row must not hide the statuses of the other clusters
            log.warn("Ignoring unreadable cluster_status.query_counts: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(ResultSet resultSet, String column)
            throws SQLException
    {
        return Optional.ofNullable(resultSet.getObject(column, LocalDateTime.class)).map(time -> time.toInstant(UTC));
    }
}
