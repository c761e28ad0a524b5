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
package io.switchboard.store.lease;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Duration;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The {@code gateway_leases} table: named duties one gateway replica performs at a time. Expiry is
 * measured by MySQL's clock.
 */
public class LeaseDao
{
    private static final String EXPIRES = "DATE_ADD(UTC_TIMESTAMP(3), INTERVAL :durationMicros MICROSECOND)";

    private record LeaseRow(String holder, boolean released, boolean expired, Duration unheldFor) {}

    private static final RowMapper<LeaseRow> MAPPER = (resultSet, context) -> new LeaseRow(
            resultSet.getString("holder"),
            resultSet.getBoolean("released"),
            resultSet.getBoolean("expired"),
            Duration.ofNanos(Math.max(0, resultSet.getLong("unheld_micros")) * 1000));

    private final Jdbi jdbi;

    public LeaseDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * Takes or renews the named lease for {@code holder} until {@code duration} from now, unless
     * another holder's lease has not expired.
     */
    public LeaseGrant acquire(String name, String holder, Duration duration)
    {
        requireNonNull(name, "name is null");
        requireNonNull(holder, "holder is null");
        checkArgument(duration.isPositive(), "duration must be positive");
        // a row to lock: two replicas taking a lease nobody held yet then wait for each other
        jdbi.useHandle(handle -> handle.createUpdate("INSERT IGNORE INTO gateway_leases (name, holder, expires_at, released, released_at) VALUES (:name, '', UTC_TIMESTAMP(3), TRUE, UTC_TIMESTAMP(3))")
                .bind("name", name)
                .execute());
        return jdbi.inTransaction(handle -> {
            LeaseRow current = handle.createQuery("""
                            SELECT holder, released, expires_at < UTC_TIMESTAMP(3) AS expired,
                                TIMESTAMPDIFF(MICROSECOND, IF(released, released_at, expires_at), UTC_TIMESTAMP(3)) AS unheld_micros
                            FROM gateway_leases WHERE name = :name FOR UPDATE
                            """)
                    .bind("name", name)
                    .map(MAPPER)
                    .one();
            boolean mine = holder.equals(current.holder());
            if (!current.released() && !current.expired() && !mine) {
                return new LeaseGrant(LeaseOutcome.HELD_ELSEWHERE, Duration.ZERO);
            }
            handle.createUpdate("UPDATE gateway_leases SET holder = :holder, expires_at = %s, released = FALSE WHERE name = :name".formatted(EXPIRES))
                    .bind("name", name)
                    .bind("holder", holder)
                    .bind("durationMicros", duration.toNanos() / 1000)
                    .execute();
            if (current.released()) {
                return new LeaseGrant(LeaseOutcome.TAKEN_RELEASED, current.unheldFor());
            }
            if (mine) {
                return new LeaseGrant(LeaseOutcome.KEPT, Duration.ZERO);
            }
            return new LeaseGrant(LeaseOutcome.TAKEN_EXPIRED, current.unheldFor());
        });
    }

    /**
     * Gives the lease up, if {@code holder} holds it, for another holder to take at once.
     */
    public void release(String name, String holder)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE gateway_leases SET released = TRUE, released_at = UTC_TIMESTAMP(3) WHERE name = :name AND holder = :holder AND NOT released")
                .bind("name", name)
                .bind("holder", holder)
                .execute());
    }

    /**
     * Who holds the named lease now, if anybody.
     */
    public Optional<String> holder(String name)
    {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT holder FROM gateway_leases
                        WHERE name = :name AND NOT released AND expires_at >= UTC_TIMESTAMP(3)
                        """)
                .bind("name", name)
                .mapTo(String.class)
                .findOne());
    }
}
