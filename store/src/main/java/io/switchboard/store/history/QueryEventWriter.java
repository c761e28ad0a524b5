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

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.switchboard.store.Columns.cut;
import static java.util.Objects.requireNonNull;

/**
 * Upserts query events into {@code queries} and {@code query_tables}, keyed by query id: a
 * replayed or duplicated event changes nothing, the order of arrival does not matter (a late
 * 'created' never overwrites the final state of a completed row), and columns this writer does
 * not own (routing group, gateway id, received at) or does not know yet keep their values.
 * Portable to MySQL 8.0+ and MariaDB 10.6+ ({@code VALUES(col)} in ON DUPLICATE KEY UPDATE).
 */
public class QueryEventWriter
{
    // the longest values the columns take (see V1__initial_schema.sql); longer values are cut
    private static final int NAME_LENGTH = 256;
    private static final int TABLE_NAME_LENGTH = 128;
    private static final int ERROR_MESSAGE_LENGTH = 16_000;

    // 'state' comes first: MySQL and MariaDB evaluate the assignments left to right
    private static final String UPSERT_QUERY = """
            INSERT INTO queries (query_id, cluster_name, state, user_name, source, client_tags, catalog_name, schema_name,
                query_text, resource_group, created_at, started_at, ended_at, error_code, error_name, error_type, error_message,
                queued_time_ms, wall_time_ms, cpu_time_ms, peak_memory_bytes, input_rows, input_bytes, output_rows, output_bytes,
                written_bytes, updated_at)
            VALUES (:queryId, :clusterName, :state, :user, :source, :clientTags, :catalog, :schema,
                :queryText, :resourceGroup, :createdAt, :startedAt, :endedAt, :errorCode, :errorName, :errorType, :errorMessage,
                :queuedTimeMs, :wallTimeMs, :cpuTimeMs, :peakMemoryBytes, :inputRows, :inputBytes, :outputRows, :outputBytes,
                :writtenBytes, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                state = IF(VALUES(ended_at) IS NOT NULL OR ended_at IS NULL, VALUES(state), state),
                cluster_name = COALESCE(VALUES(cluster_name), cluster_name),
                user_name = COALESCE(VALUES(user_name), user_name),
                source = COALESCE(VALUES(source), source),
                client_tags = COALESCE(VALUES(client_tags), client_tags),
                catalog_name = COALESCE(VALUES(catalog_name), catalog_name),
                schema_name = COALESCE(VALUES(schema_name), schema_name),
                query_text = COALESCE(VALUES(query_text), query_text),
                resource_group = COALESCE(VALUES(resource_group), resource_group),
                created_at = COALESCE(VALUES(created_at), created_at),
                started_at = COALESCE(VALUES(started_at), started_at),
                ended_at = COALESCE(VALUES(ended_at), ended_at),
                error_code = COALESCE(VALUES(error_code), error_code),
                error_name = COALESCE(VALUES(error_name), error_name),
                error_type = COALESCE(VALUES(error_type), error_type),
                error_message = COALESCE(VALUES(error_message), error_message),
                queued_time_ms = COALESCE(VALUES(queued_time_ms), queued_time_ms),
                wall_time_ms = COALESCE(VALUES(wall_time_ms), wall_time_ms),
                cpu_time_ms = COALESCE(VALUES(cpu_time_ms), cpu_time_ms),
                peak_memory_bytes = COALESCE(VALUES(peak_memory_bytes), peak_memory_bytes),
                input_rows = COALESCE(VALUES(input_rows), input_rows),
                input_bytes = COALESCE(VALUES(input_bytes), input_bytes),
                output_rows = COALESCE(VALUES(output_rows), output_rows),
                output_bytes = COALESCE(VALUES(output_bytes), output_bytes),
                written_bytes = COALESCE(VALUES(written_bytes), written_bytes),
                updated_at = VALUES(updated_at)
            """;

    private static final String UPSERT_TABLE = """
            INSERT INTO query_tables (query_id, catalog_name, schema_name, table_name)
            VALUES (:queryId, :catalog, :schema, :table)
            ON DUPLICATE KEY UPDATE query_id = query_id
            """;

    private final Jdbi jdbi;

    public QueryEventWriter(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Writes the events in one transaction: all of them or, on an exception, none.
     */
    public void write(List<QueryEvent> events)
    {
        if (events.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            upsertQueries(handle, events);
            upsertTables(handle, events);
        });
    }

    private static void upsertQueries(Handle handle, List<QueryEvent> events)
    {
        PreparedBatch batch = handle.prepareBatch(UPSERT_QUERY);
        for (QueryEvent event : events) {
            bindQuery(batch, event);
            batch.add();
        }
        batch.execute();
    }

    private static void bindQuery(PreparedBatch batch, QueryEvent event)
    {
        batch.bind("queryId", event.queryId())
                .bind("clusterName", event.clusterName())
                .bind("state", event.state())
                .bind("user", cut(event.user(), NAME_LENGTH))
                .bind("source", cut(event.source(), NAME_LENGTH))
                .bind("clientTags", cut(event.clientTags(), 1024))
                .bind("catalog", cut(event.catalog(), NAME_LENGTH))
                .bind("schema", cut(event.schema(), NAME_LENGTH))
                .bind("queryText", event.queryText().orElse(null))
                .bind("resourceGroup", cut(event.resourceGroup(), 512))
                .bind("createdAt", timestamp(event.createdAt()))
                .bind("startedAt", event.startedAt().map(QueryEventWriter::timestamp).orElse(null))
                .bind("endedAt", event.endedAt().map(QueryEventWriter::timestamp).orElse(null));
        Optional<QueryError> error = event.error();
        batch.bind("errorCode", error.map(QueryError::code).orElse(null))
                .bind("errorName", cut(error.map(QueryError::name), NAME_LENGTH))
                .bind("errorType", cut(error.map(QueryError::type), 64))
                .bind("errorMessage", cut(error.flatMap(QueryError::message), ERROR_MESSAGE_LENGTH));
        Optional<QueryMetrics> metrics = event.metrics();
        batch.bind("queuedTimeMs", metrics.map(QueryMetrics::queuedTimeMs).orElse(null))
                .bind("wallTimeMs", metrics.map(QueryMetrics::wallTimeMs).orElse(null))
                .bind("cpuTimeMs", metrics.map(QueryMetrics::cpuTimeMs).orElse(null))
                .bind("peakMemoryBytes", metrics.map(QueryMetrics::peakMemoryBytes).orElse(null))
                .bind("inputRows", metrics.map(QueryMetrics::inputRows).orElse(null))
                .bind("inputBytes", metrics.map(QueryMetrics::inputBytes).orElse(null))
                .bind("outputRows", metrics.map(QueryMetrics::outputRows).orElse(null))
                .bind("outputBytes", metrics.map(QueryMetrics::outputBytes).orElse(null))
                .bind("writtenBytes", metrics.map(QueryMetrics::writtenBytes).orElse(null));
    }

    private static void upsertTables(Handle handle, List<QueryEvent> events)
    {
        PreparedBatch batch = handle.prepareBatch(UPSERT_TABLE);
        for (QueryEvent event : events) {
            for (TableName table : event.tablesRead()) {
                batch.bind("queryId", event.queryId())
                        .bind("catalog", cut(table.catalog(), TABLE_NAME_LENGTH))
                        .bind("schema", cut(table.schema(), TABLE_NAME_LENGTH))
                        .bind("table", cut(table.table(), TABLE_NAME_LENGTH))
                        .add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    private static Timestamp timestamp(Instant instant)
    {
        return Timestamp.from(instant);
    }
}
