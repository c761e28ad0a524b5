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
package io.switchboard.store.routing;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

import static java.time.ZoneOffset.UTC;
import static java.util.Objects.requireNonNull;

/**
 * The {@code transaction_routes} table: the cluster of each transaction started through a gateway.
 */
public class TransactionRouteDao
{
    /**
     * The extra credential ({@code X-Trino-Extra-Credential}) with which a gateway marks a
     * statement of an open transaction, so that a draining coordinator still admits it.
     */
    public static final String TRANSACTION_CREDENTIAL = "switchboard.transaction";

    private final Jdbi jdbi;

    public TransactionRouteDao(Jdbi jdbi)
    {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public void started(String transactionId, String clusterName, String gatewayId, Instant startedAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO transaction_routes (transaction_id, cluster_name, gateway_id, started_at, last_used_at)
                        VALUES (:transactionId, :clusterName, :gatewayId, :startedAt, :startedAt)
                        ON DUPLICATE KEY UPDATE cluster_name = VALUES(cluster_name), gateway_id = VALUES(gateway_id), started_at = VALUES(started_at),
                            last_used_at = VALUES(last_used_at), ended_at = NULL
                        """)
                .bind("transactionId", transactionId)
                .bind("clusterName", clusterName)
                .bind("gatewayId", gatewayId)
                .bind("startedAt", LocalDateTime.ofInstant(startedAt, UTC))
                .execute());
    }

    /**
     * A gateway sent a statement of the transaction.
     */
    public void used(String transactionId, Instant usedAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE transaction_routes SET last_used_at = GREATEST(last_used_at, :usedAt) WHERE transaction_id = :transactionId")
                .bind("transactionId", transactionId)
                .bind("usedAt", LocalDateTime.ofInstant(usedAt, UTC))
                .execute());
    }

    /**
     * How many transactions on the cluster have neither ended nor gone unused since {@code usedAfter}.
     */
    public long openTransactions(String clusterName, Instant usedAfter)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM transaction_routes WHERE cluster_name = :clusterName AND ended_at IS NULL AND last_used_at > :usedAfter")
                .bind("clusterName", clusterName)
                .bind("usedAfter", LocalDateTime.ofInstant(usedAfter, UTC))
                .mapTo(Long.class)
                .one());
    }

    public void ended(String transactionId, Instant endedAt)
    {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE transaction_routes SET ended_at = :endedAt WHERE transaction_id = :transactionId")
                .bind("transactionId", transactionId)
                .bind("endedAt", LocalDateTime.ofInstant(endedAt, UTC))
                .execute());
    }

    /**
     * The cluster of a transaction that has not ended.
     */
    public Optional<String> openTransactionCluster(String transactionId)
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT cluster_name FROM transaction_routes WHERE transaction_id = :transactionId AND ended_at IS NULL")
                .bind("transactionId", transactionId)
                .mapTo(String.class)
                .findFirst());
    }

    /**
     * Deletes the rows of transactions started before the cutoff; returns how many.
     */
    public int deleteStartedBefore(Instant cutoff)
    {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM transaction_routes WHERE started_at < :cutoff")
                .bind("cutoff", LocalDateTime.ofInstant(cutoff, UTC))
                .execute());
    }
}
