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
package io.switchboard.gateway.notify;

import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.store.lease.LeaseDao;
import io.switchboard.store.lease.LeaseGrant;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Whose turn it is to send health notifications. Every gateway replica checks every cluster, so
 * every replica sees each health transition; the replica holding this lease in MySQL sends it, so
 * that operators get one message per transition, not one per replica. Not thread-safe: the
 * {@link Notifier} renews it from one thread.
 */
public class NotificationLease
{
    static final String NAME = "health-notifications";

    private static final Logger log = Logger.get(NotificationLease.class);

    /**
     * @param sends whether this replica sends health notifications until the next renewal: it
     * holds the lease, or MySQL has not answered for longer than the lease (then every replica
     * sends, a message twice rather than none)
     * @param unsentSince when this replica has just taken the lease: from when on nobody sent
     * what it kept unsent (since the previous holder released the lease, or since its last
     * renewal before the lease expired)
     */
    public record Turn(boolean sends, Optional<Instant> unsentSince)
    {
        public Turn
        {
            requireNonNull(unsentSince, "unsentSince is null");
        }
    }

    private final GatewayDatabase database;
    private final LeaseDao leases;
    private final String gatewayId;
    private final Duration timeout;
    private long lastAnswerNanos = System.nanoTime();
    private boolean held;
    private boolean unreachable;

    @Inject
    public NotificationLease(GatewayDatabase database, LeaseDao leases, NotifyConfig config, GatewayReplica replica)
    {
        this.database = requireNonNull(database, "database is null");
        this.leases = requireNonNull(leases, "leases is null");
        this.gatewayId = replica.id();
        this.timeout = Duration.ofMillis(config.getSenderLeaseTimeout().toMillis());
    }

    public Duration renewInterval()
    {
        return timeout.dividedBy(3);
    }

    /**
     * How long a replica keeps what it did not send: the longest a holder that died can have
     * been silent when another replica takes the lease over (the lease, then up to a renewal
     * interval until the taker renews, and one more for slack).
     */
    public Duration unsentWindow()
    {
        return timeout.plus(renewInterval()).plus(renewInterval());
    }

    /**
     * Takes or renews the lease.
     */
    public Turn renew()
    {
        long start = System.nanoTime();
        Instant now = Instant.now();
        Optional<LeaseGrant> grant = acquire();
        if (grant.isEmpty()) {
            if (System.nanoTime() - lastAnswerNanos >= timeout.toNanos()) {
                held = false;
                return new Turn(true, Optional.empty());
            }
            return new Turn(held, Optional.empty());
        }
        lastAnswerNanos = start;
        held = grant.get().outcome().held();
        Optional<Instant> unsentSince = switch (grant.get().outcome()) {
            case TAKEN_RELEASED -> Optional.of(now.minus(grant.get().unheldFor()));
            case TAKEN_EXPIRED -> Optional.of(now.minus(grant.get().unheldFor()).minus(timeout));
            case KEPT, HELD_ELSEWHERE -> Optional.empty();
        };
        return new Turn(held, unsentSince);
    }

    /**
     * Gives the lease up for another replica to take at once (this one is stopping).
     */
    public void release()
    {
        if (!held) {
            return;
        }
        held = false;
        try {
            leases.release(NAME, gatewayId);
        }
        catch (RuntimeException e) {
            log.warn("Cannot release the %s lease in MySQL; another replica takes it over when it expires: %s", NAME, e.getMessage());
        }
    }

    private Optional<LeaseGrant> acquire()
    {
        try {
            if (!database.ensureSchema()) {
                return Optional.empty();
            }
            Optional<LeaseGrant> grant = Optional.of(leases.acquire(NAME, gatewayId, timeout));
            if (unreachable) {
                unreachable = false;
                log.info("MySQL answers again: the replica holding the %s lease sends health notifications", NAME);
            }
            return grant;
        }
        catch (RuntimeException e) {
            if (!unreachable) {
                unreachable = true;
                log.warn("Cannot renew the %s lease in MySQL; if MySQL stays unreachable for %s, every replica sends health notifications: %s",
                        NAME, timeout, e.getMessage());
            }
            return Optional.empty();
        }
    }
}
