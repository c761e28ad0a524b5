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
package io.switchboard.plugin.router;

import io.airlift.log.Logger;
import io.airlift.units.Duration;
import io.switchboard.store.routing.TransactionRouteDao;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * How many transactions opened through the gateway on this cluster have neither ended nor gone
 * unused for {@code switchboard.transaction-idle-timeout}: Trino cannot tell a plugin, so the
 * gateways record them in {@code transaction_routes}. When MySQL cannot be read, the last count
 * stands.
 */
final class OpenTransactions
{
    private static final Logger log = Logger.get(OpenTransactions.class);

    private final String clusterName;
    private final TransactionRouteDao dao;
    private final long idleTimeoutMillis;
    private volatile long lastKnown;
    private boolean mysqlFailing;

    OpenTransactions(String clusterName, TransactionRouteDao dao, Duration idleTimeout)
    {
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.idleTimeoutMillis = idleTimeout.toMillis();
    }

    long count()
    {
        return lastKnown;
    }

    /**
     * May wait for MySQL up to its timeouts.
     */
    void refreshFromMysql()
    {
        try {
            lastKnown = dao.openTransactions(clusterName, Instant.now().minusMillis(idleTimeoutMillis));
            if (mysqlFailing) {
                mysqlFailing = false;
                log.info("Open transactions of cluster %s can be read from MySQL again", clusterName);
            }
        }
        catch (RuntimeException e) {
            if (!mysqlFailing) {
                mysqlFailing = true;
                log.warn("Cannot read the open transactions of cluster %s from MySQL, keeping the last count (%s): %s", clusterName, lastKnown, e.getMessage());
            }
        }
    }
}
