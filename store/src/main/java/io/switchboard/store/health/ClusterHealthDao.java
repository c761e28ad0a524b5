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
package io.switchboard.store.health;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static io.switchboard.store.Columns.abbreviate;
import static java.time.ZoneOffset.UTC;
import static java.util.Objects.requireNonNull;

/**
 * The {@code cluster_health_events} table: every health transition any gateway replica saw.
 */
public class ClusterHealthDao
{
    private static final int MAX_REASON_LENGTH = 1024;

    private static final RowMapper<HealthTransition> MAPPER = (resultSet, context) -> new HealthTransition(
            resultSet.getString("cluster_name"),
            resultSet.getObject("occurred_at", LocalDateTime.class).toInstant(UTC),
            HealthState.valueOf(resultSet.getString("previous_state")),
            HealthState.valueOf(resultSet.getString("state")),
            resultSet.getString("reason"),
            resultSet.getString("gateway_id"));

    private final Jdbi jdbi;

    public ClusterHealthDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public void insert(List<HealthTransition> transitions)
    {
        if (transitions.isEmpty()) {
            return;
        }
        jdbi.useTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO cluster_health_events (cluster_name, occurred_at, previous_state, state, reason, gateway_id)
                    VALUES (:clusterName, :occurredAt, :previousState, :state, :reason, :gatewayId)
                    """);
            for (HealthTransition transition : transitions) {
                batch.bind("clusterName", transition.clusterName())
                        .bind("occurredAt", LocalDateTime.ofInstant(transition.occurredAt(), UTC))
                        .bind("previousState", transition.previousState().name())
                        .bind("state", transition.state().name())
                        .bind("reason", abbreviate(transition.reason(), MAX_REASON_LENGTH))
                        .bind("gatewayId", transition.gatewayId())
                        .add();
            }
            batch.execute();
        });
    }

    /**
     * The newest transitions of one cluster first.
     */
    public List<HealthTransition> history(String clusterName, int limit)
    {
        requireNonNull(clusterName, "clusterName is null");
        checkArgument(limit > 0, "limit must be positive");
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT cluster_name, occurred_at, previous_state, state, reason, gateway_id
                        FROM cluster_health_events
                        WHERE cluster_name = :clusterName
                        ORDER BY occurred_at DESC, id DESC
                        LIMIT :limit
                        """)
                .bind("clusterName", clusterName)
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }

    /**
     * Deletes transitions older than the cutoff; returns how many.
     */
    public int deleteBefore(Instant cutoff)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM cluster_health_events WHERE occurred_at < :cutoff")
                .bind("cutoff", LocalDateTime.ofInstant(cutoff, UTC))
                .execute());
    }
}
