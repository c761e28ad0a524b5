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
package io.switchboard.store.history;

import io.switchboard.store.analytics.QueryPlan;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * The read side of the query history ({@code queries} and {@code query_tables}, with the routing
 * of each query joined from {@code query_routes}) that the gateway serves: search, one query with
 * everything stored, the distribution over clusters, retention.
 */
public class QueryHistoryDao
{
    private static final String SUMMARY = "SELECT q.query_id, q.cluster_name, r.routing_group, q.user_name, q.source, q.state, q.created_at, q.ended_at, " +
            "q.wall_time_ms, q.error_name, LEFT(q.query_text, 500) AS query_text_preview " +
            "FROM queries q LEFT JOIN query_routes r ON r.query_id = q.query_id";
    private static final String ORDER = " ORDER BY q.created_at DESC, q.query_id DESC";
    // a query the gateway routed but no event listener reported yet has only its route
    private static final String DETAILS = """
            SELECT k.query_id, COALESCE(q.cluster_name, r.cluster_name) AS cluster_name, r.routing_group, r.routing_rule, r.queued_in_gateway_ms, r.gateway_id, r.received_at,
                COALESCE(q.user_name, r.user_name) AS user_name, COALESCE(q.source, r.source) AS source, q.client_tags, q.catalog_name, q.schema_name,
                q.query_text, q.state, q.resource_group, q.created_at, q.started_at, q.ended_at,
                q.error_code, q.error_name, q.error_type, q.error_message,
                q.queued_time_ms, q.wall_time_ms, q.cpu_time_ms, q.peak_memory_bytes, q.input_rows, q.input_bytes, q.output_rows, q.output_bytes, q.written_bytes,
                COALESCE(q.updated_at, r.received_at) AS updated_at
            FROM (SELECT :queryId AS query_id) k
            LEFT JOIN queries q ON q.query_id = k.query_id
            LEFT JOIN query_routes r ON r.query_id = k.query_id
            WHERE q.query_id IS NOT NULL OR r.query_id IS NOT NULL
            """;

    private static final RowMapper<QuerySummary> SUMMARY_MAPPER = (rs, context) -> new QuerySummary(
            rs.getString("query_id"),
            string(rs, "cluster_name"),
            string(rs, "routing_group"),
            string(rs, "user_name"),
            string(rs, "source"),
            string(rs, "state"),
            instant(rs, "created_at"),
            instant(rs, "ended_at"),
            number(rs, "wall_time_ms"),
            string(rs, "error_name"),
            string(rs, "query_text_preview"));

    private static final RowMapper<ClusterQueryCount> COUNT_MAPPER = (rs, context) -> new ClusterQueryCount(
            rs.getString("cluster_name"),
            rs.getLong("total"),
            rs.getLong("finished"),
            rs.getLong("failed"),
            rs.getLong("other"));

    private final Jdbi jdbi;

    public QueryHistoryDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * The queries that match, newest first, paged by limit and offset.
     */
    public List<QuerySummary> search(QueryFilter filter, int limit, int offset)
    {
        checkArgument(limit > 0, "limit must be positive");
        checkArgument(offset >= 0, "offset must not be negative");
        return jdbi.withHandle(handle -> {
            Query query = handle.createQuery(SUMMARY + where(filter, false) + ORDER + " LIMIT :limit OFFSET :offset");
            return bindFilter(query, filter)
                    .bind("limit", limit)
                    .bind("offset", offset)
                    .map(SUMMARY_MAPPER)
                    .list();
        });
    }

    /**
     * The queries that match, newest first, starting after the cursor (keyset paging: stable and
     * fast however deep the page). Only queries with a creation time are paged this way.
     */
    public QueryPage searchAfter(QueryFilter filter, Optional<QueryCursor> after, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        List<QuerySummary> queries = jdbi.withHandle(handle -> {
            Query query = handle.createQuery(SUMMARY + where(filter, after.isPresent()) + ORDER + " LIMIT :limit");
            bindFilter(query, filter).bind("limit", limit);
            after.ifPresent(cursor -> query.bind("afterCreatedAt", Timestamp.from(cursor.createdAt())).bind("afterQueryId", cursor.queryId()));
            return query.map(SUMMARY_MAPPER).list();
        });
        Optional<QueryCursor> next = Optional.empty();
        if (queries.size() == limit) {
            QuerySummary last = queries.getLast();
            next = last.createdAt().map(createdAt -> new QueryCursor(createdAt, last.queryId()));
        }
        return new QueryPage(queries, next);
    }

    /**
     * MariaDB's plan of the first page of {@link #searchAfter}: one entry per table access.
     */
    public List<QueryPlan> explainSearch(QueryFilter filter, int limit)
    {
        checkArgument(limit > 0, "limit must be positive");
        return jdbi.withHandle(handle -> bindFilter(handle.createQuery("EXPLAIN " + SUMMARY + where(filter, false) + ORDER + " LIMIT :limit"), filter)
                .bind("limit", limit)
                .map((rs, context) -> QueryPlan.read("search", rs))
                .list());
    }

    private static String where(QueryFilter filter, boolean keyset)
    {
        List<String> conditions = new ArrayList<>();
        filter.user().ifPresent(_ -> conditions.add("q.user_name = :user"));
        filter.source().ifPresent(_ -> conditions.add("q.source = :source"));
        filter.cluster().ifPresent(_ -> conditions.add("q.cluster_name = :cluster"));
        filter.routingGroup().ifPresent(_ -> conditions.add("r.routing_group = :routingGroup"));
        filter.state().ifPresent(_ -> conditions.add("q.state = :state"));
        filter.createdFrom().ifPresent(_ -> conditions.add("q.created_at >= :createdFrom"));
        filter.createdTo().ifPresent(_ -> conditions.add("q.created_at < :createdTo"));
        filter.text().ifPresent(_ -> conditions.add("(LOWER(q.query_id) LIKE :text ESCAPE '!' OR LOWER(q.query_text) LIKE :text ESCAPE '!')"));
        if (keyset) {
            conditions.add("(q.created_at < :afterCreatedAt OR (q.created_at = :afterCreatedAt AND q.query_id < :afterQueryId))");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static Query bindFilter(Query query, QueryFilter filter)
    {
        filter.user().ifPresent(value -> query.bind("user", value));
        filter.source().ifPresent(value -> query.bind("source", value));
        filter.cluster().ifPresent(value -> query.bind("cluster", value));
        filter.routingGroup().ifPresent(value -> query.bind("routingGroup", value));
        filter.state().ifPresent(value -> query.bind("state", value));
        filter.createdFrom().ifPresent(value -> query.bind("createdFrom", Timestamp.from(value)));
        filter.createdTo().ifPresent(value -> query.bind("createdTo", Timestamp.from(value)));
        filter.text().ifPresent(value -> query.bind("text", "%" + escapeLike(value.toLowerCase(ENGLISH)) + "%"));
        return query;
    }

    private static String escapeLike(String text)
    {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /**
     * One query with everything stored about it, including the tables it read.
     */
    public Optional<QueryDetails> get(String queryId)
    {
        requireNonNull(queryId, "queryId is null");
        // one snapshot for the row and its tables: the event listener commits a completed query's
        // state and tables together, and two separate reads could see the state without the tables
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            List<TableName> tables = tablesRead(handle, queryId);
            return handle.createQuery(DETAILS)
                    .bind("queryId", queryId)
                    .map((rs, context) -> details(rs, tables))
                    .findOne();
        });
    }

    private static List<TableName> tablesRead(Handle handle, String queryId)
    {
        return handle.createQuery("SELECT catalog_name, schema_name, table_name FROM query_tables WHERE query_id = :queryId " +
                        "ORDER BY catalog_name, schema_name, table_name")
                .bind("queryId", queryId)
                .map((rs, context) -> new TableName(rs.getString("catalog_name"), rs.getString("schema_name"), rs.getString("table_name")))
                .list();
    }

    private static QueryDetails details(ResultSet rs, List<TableName> tables)
            throws SQLException
    {
        return new QueryDetails(
                rs.getString("query_id"),
                string(rs, "cluster_name"),
                string(rs, "routing_group"),
                string(rs, "routing_rule"),
                optionalLong(rs, "queued_in_gateway_ms"),
                string(rs, "gateway_id"),
                instant(rs, "received_at"),
                string(rs, "user_name"),
                string(rs, "source"),
                string(rs, "client_tags"),
                string(rs, "catalog_name"),
                string(rs, "schema_name"),
                string(rs, "query_text"),
                string(rs, "state"),
                string(rs, "resource_group"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "ended_at"),
                error(rs),
                metrics(rs),
                rs.getTimestamp("updated_at").toInstant(),
                tables);
    }

    private static Optional<QueryError> error(ResultSet rs)
            throws SQLException
    {
        Optional<Long> code = number(rs, "error_code");
        if (code.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QueryError(
                code.get().intValue(),
                string(rs, "error_name").orElse(""),
                string(rs, "error_type").orElse(""),
                string(rs, "error_message")));
    }

    private static Optional<QueryMetrics> metrics(ResultSet rs)
            throws SQLException
    {
        if (number(rs, "wall_time_ms").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QueryMetrics(
                rs.getLong("queued_time_ms"),
                rs.getLong("wall_time_ms"),
                rs.getLong("cpu_time_ms"),
                rs.getLong("peak_memory_bytes"),
                rs.getLong("input_rows"),
                rs.getLong("input_bytes"),
                rs.getLong("output_rows"),
                rs.getLong("output_bytes"),
                rs.getLong("written_bytes")));
    }

    /**
     * How the queries created in [from, to) spread over the clusters, busiest first.
     */
    public List<ClusterQueryCount> distributionByCluster(Instant from, Instant to)
    {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT cluster_name,
                            COUNT(*) AS total,
                            SUM(CASE WHEN state = 'FINISHED' THEN 1 ELSE 0 END) AS finished,
                            SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END) AS failed,
                            SUM(CASE WHEN state IS NULL OR state NOT IN ('FINISHED', 'FAILED') THEN 1 ELSE 0 END) AS other
                        FROM queries
                        WHERE created_at >= :from AND created_at < :to AND cluster_name IS NOT NULL
                        GROUP BY cluster_name
                        ORDER BY total DESC, cluster_name
                        """)
                .bind("from", Timestamp.from(from))
                .bind("to", Timestamp.from(to))
                .map(COUNT_MAPPER)
                .list());
    }

    /**
     * Deletes the queries created before the cutoff and the tables they read (every row of
     * {@code queries} has a creation time), then the routes received before it, in transactions
     * of at most batchSize queries so that writers are never held up for long.
     *
     * @return the number of queries deleted (routes not counted)
     */
    public long deleteOlderThan(Instant cutoff, int batchSize)
    {
        requireNonNull(cutoff, "cutoff is null");
        checkArgument(batchSize > 0, "batchSize must be positive");
        Timestamp before = Timestamp.from(cutoff);
        long deleted = 0;
        int batchDeleted;
        do {
            batchDeleted = jdbi.inTransaction(handle -> deleteBatch(handle, before, batchSize));
            deleted += batchDeleted;
        }
        while (batchDeleted == batchSize);
        int routesDeleted;
        do {
            routesDeleted = deleteRoutes(before, batchSize);
        }
        while (routesDeleted == batchSize);
        return deleted;
    }

    private int deleteRoutes(Timestamp cutoff, int batchSize)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM query_routes WHERE received_at < :cutoff LIMIT :limit")
                .bind("cutoff", cutoff)
                .bind("limit", batchSize)
                .execute());
    }

    private static int deleteBatch(Handle handle, Timestamp cutoff, int batchSize)
    {
        List<String> queryIds = handle.createQuery("SELECT query_id FROM queries " +
                        "WHERE created_at < :cutoff LIMIT :limit")
                .bind("cutoff", cutoff)
                .bind("limit", batchSize)
                .mapTo(String.class)
                .list();
        if (queryIds.isEmpty()) {
            return 0;
        }
        handle.createUpdate("DELETE FROM query_tables WHERE query_id IN (<ids>)").bindList("ids", queryIds).execute();
        return handle.createUpdate("DELETE FROM queries WHERE query_id IN (<ids>)").bindList("ids", queryIds).execute();
    }

    private static Optional<String> string(ResultSet rs, String column)
            throws SQLException
    {
        return Optional.ofNullable(rs.getString(column));
    }

    private static Optional<Long> number(ResultSet rs, String column)
            throws SQLException
    {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static OptionalLong optionalLong(ResultSet rs, String column)
            throws SQLException
    {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static Optional<Instant> instant(ResultSet rs, String column)
            throws SQLException
    {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
