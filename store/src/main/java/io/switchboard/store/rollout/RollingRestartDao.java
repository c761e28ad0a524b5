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
package io.switchboard.store.rollout;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.statement.Update;

import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.switchboard.store.Columns.abbreviate;
import static java.time.ZoneOffset.UTC;
import static java.util.Objects.requireNonNull;

/**
 * The {@code rolling_restarts} table. A RUNNING row belongs to the replica named in {@code owner}
 * until its lease expires (measured by MySQL's clock, so replicas' clocks need not agree); only
 * the owner may write it, and any replica may claim it once the lease has expired.
 */
public class RollingRestartDao
{
    private static final int MAX_REASON_LENGTH = 2048;
    private static final String COLUMNS = "routing_group, state, current_cluster, reason, started_by, started_at, finished_at, owner, progress";
    private static final String LEASE = "DATE_ADD(UTC_TIMESTAMP(3), INTERVAL :leaseMicros MICROSECOND)";
    private static final String ABANDONED = "state = 'RUNNING' AND (owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at < UTC_TIMESTAMP(3))";
    private static final RowMapper<RollingRestartRecord> MAPPER = (resultSet, context) -> new RollingRestartRecord(
            resultSet.getString("routing_group"),
            RolloutState.valueOf(resultSet.getString("state")),
            Optional.ofNullable(resultSet.getString("current_cluster")),
            Optional.ofNullable(resultSet.getString("reason")),
            resultSet.getString("started_by"),
            resultSet.getObject("started_at", LocalDateTime.class).toInstant(UTC),
            Optional.ofNullable(resultSet.getObject("finished_at", LocalDateTime.class)).map(time -> time.toInstant(UTC)),
            Optional.ofNullable(resultSet.getString("owner")),
            resultSet.getString("progress"));

    private final Jdbi jdbi;

    public RollingRestartDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public Optional<RollingRestartRecord> get(String routingGroup)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM rolling_restarts WHERE routing_group = :routingGroup")
                .bind("routingGroup", routingGroup)
                .map(MAPPER)
                .findOne());
    }

    /**
     * Records a new RUNNING restart owned by {@code owner}, replacing a finished one of the same
     * group. False when one is already RUNNING, even with an expired lease: that one is resumed,
     * not replaced.
     */
    public boolean start(RollingRestartRecord restart, String owner, Duration lease)
    {
        checkArgument(restart.state() == RolloutState.RUNNING, "a new rolling restart must be RUNNING: %s", restart.state());
        return jdbi.withHandle(handle -> {
            int replaced = bindRow(handle.createUpdate("""
                    UPDATE rolling_restarts
                    SET state = :state, current_cluster = :currentCluster, reason = :reason, started_by = :startedBy, started_at = :startedAt,
                        finished_at = :finishedAt, owner = :owner, lease_expires_at = %s, progress = :progress
                    WHERE routing_group = :routingGroup AND state <> 'RUNNING'
                    """.formatted(LEASE)), restart, owner, lease)
                    .execute();
            if (replaced == 1) {
                return true;
            }
            try {
                bindRow(handle.createUpdate("""
                        INSERT INTO rolling_restarts (routing_group, state, current_cluster, reason, started_by, started_at, finished_at, owner, lease_expires_at, progress)
                        VALUES (:routingGroup, :state, :currentCluster, :reason, :startedBy, :startedAt, :finishedAt, :owner, %s, :progress)
                        """.formatted(LEASE)), restart, owner, lease)
                        .execute();
                return true;
            }
            catch (UnableToExecuteStatementException e) {
                if (e.getCause() instanceof SQLIntegrityConstraintViolationException) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * Writes the progress and renews the lease; false when {@code owner} no longer owns the row
     * (another replica claimed it after the lease expired), and nothing is written. A finished
     * restart has no owner left.
     */
    public boolean save(RollingRestartRecord restart, String owner, Duration lease)
    {
        return jdbi.withHandle(handle -> bindRow(handle.createUpdate("""
                        UPDATE rolling_restarts
                        SET state = :state, current_cluster = :currentCluster, reason = :reason, finished_at = :finishedAt,
                            owner = IF(:state = 'RUNNING', :owner, NULL), lease_expires_at = IF(:state = 'RUNNING', %s, NULL), progress = :progress
                        WHERE routing_group = :routingGroup AND owner = :owner
                        """.formatted(LEASE)), restart, owner, lease)
                .execute() == 1);
    }

    /**
     * Gives a RUNNING restart up for another replica to resume at once (this one is stopping).
     */
    public void release(String routingGroup, String owner)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE rolling_restarts SET owner = NULL, lease_expires_at = NULL WHERE routing_group = :routingGroup AND owner = :owner")
                .bind("routingGroup", routingGroup)
                .bind("owner", owner)
                .execute());
    }

    /**
     * Claims every RUNNING restart whose owner released it or let its lease expire.
     *
     * @return the restarts now owned by {@code owner}
     */
    public List<RollingRestartRecord> claimAbandoned(String owner, Duration lease)
    {
        return jdbi.withHandle(handle -> {
            List<String> abandoned = handle.createQuery("SELECT routing_group FROM rolling_restarts WHERE " + ABANDONED)
                    .mapTo(String.class)
                    .list();
            return abandoned.stream()
                    .filter(group -> claim(handle, group, owner, lease))
                    .map(group -> handle.createQuery("SELECT " + COLUMNS + " FROM rolling_restarts WHERE routing_group = :routingGroup")
                            .bind("routingGroup", group)
                            .map(MAPPER)
                            .one())
                    .collect(toImmutableList());
        });
    }

    private static boolean claim(Handle handle, String routingGroup, String owner, Duration lease)
    {
        // the condition is evaluated again under the row lock: of two replicas, one claims it
        return handle.createUpdate("UPDATE rolling_restarts SET owner = :owner, lease_expires_at = %s WHERE routing_group = :routingGroup AND %s".formatted(LEASE, ABANDONED))
                .bind("routingGroup", routingGroup)
                .bind("owner", owner)
                .bind("leaseMicros", lease.toNanos() / 1000)
                .execute() == 1;
    }

    private static Update bindRow(Update update, RollingRestartRecord restart, String owner, Duration lease)
    {
        return update.bind("routingGroup", restart.routingGroup())
                .bind("state", restart.state().name())
                .bind("currentCluster", restart.currentCluster().orElse(null))
                .bind("reason", restart.reason().map(reason -> abbreviate(reason, MAX_REASON_LENGTH)).orElse(null))
                .bind("startedBy", restart.startedBy())
                .bind("startedAt", LocalDateTime.ofInstant(restart.startedAt(), UTC))
                .bind("finishedAt", restart.finishedAt().map(time -> LocalDateTime.ofInstant(time, UTC)).orElse(null))
                .bind("owner", requireNonNull(owner, "owner is null"))
                .bind("leaseMicros", lease.toNanos() / 1000)
                .bind("progress", restart.progress());
    }
}
