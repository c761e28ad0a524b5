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
package io.switchboard.gateway;

import io.switchboard.testing.TestingMysql;

import java.util.Optional;

/**
 * What the gateways stored in {@code transaction_routes}, read with SQL.
 */
final class StoredTransactions
{
    private StoredTransactions() {}

    /**
     * Transactions not ended yet.
     */
    static long openCount(TestingMysql mysql)
    {
        return mysql.jdbi().withHandle(handle -> handle.createQuery("SELECT count(*) FROM transaction_routes WHERE ended_at IS NULL")
                .mapTo(Long.class)
                .one());
    }

    /**
     * The cluster of the transaction, while it is open.
     */
    static Optional<String> clusterOf(TestingMysql mysql, String transactionId)
    {
        return mysql.jdbi().withHandle(handle -> handle.createQuery("SELECT cluster_name FROM transaction_routes WHERE transaction_id = :id AND ended_at IS NULL")
                .bind("id", transactionId)
                .mapTo(String.class)
                .findOne());
    }
}
