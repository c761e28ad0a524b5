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

import io.switchboard.store.status.ClusterState;
import io.trino.plugin.base.security.AllowAllSystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.TrinoException;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.security.Identity;

import java.util.List;
import java.util.Optional;

import static io.switchboard.store.routing.TransactionRouteDao.TRANSACTION_CREDENTIAL;
import static io.switchboard.store.status.ClusterState.ACTIVE;
import static io.trino.spi.StandardErrorCode.SERVER_SHUTTING_DOWN;
import static java.util.Objects.requireNonNull;

/**
 * Allows everything Trino asks about, except starting a query while the coordinator drains.
 * {@link #checkCanExecuteQuery} runs once, when a query is created, so queries already running
 * are never affected. The check reads an in-memory state only: no Trino thread waits for MySQL.
 */
public class DrainAccessControl
        extends AllowAllSystemAccessControl
{
    private final String clusterName;
    private final String gateway;
    private final DrainStateMachine stateMachine;
    private final RunningQueries runningQueries;
    private final RouterStats stats;
    private final Runnable onShutdown;

    public DrainAccessControl(String clusterName, Optional<String> gatewayUrl, DrainStateMachine stateMachine, RunningQueries runningQueries, RouterStats stats, Runnable onShutdown)
    {
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
        this.gateway = gatewayUrl.map(url -> " at " + url).orElse("");
        this.stateMachine = requireNonNull(stateMachine, "stateMachine is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.onShutdown = requireNonNull(onShutdown, "onShutdown is null");
    }

    /**
     * Trino registers these with its event listeners when it installs this access control.
     */
    @Override
    public Iterable<EventListener> getEventListeners()
    {
        return List.of(runningQueries);
    }

    @Override
    public void checkCanExecuteQuery(Identity identity, QueryId queryId)
    {
        ClusterState state = stateMachine.state();
        // a statement of a transaction opened before the drain, marked by the gateway, may still commit or roll back
        if (state != ACTIVE && !identity.getExtraCredentials().containsKey(TRANSACTION_CREDENTIAL)) {
            stats.queryRefused();
            throw new TrinoException(SERVER_SHUTTING_DOWN, "Cluster " + clusterName + " is shutting down (" + state + ") and accepts no new queries; " +
                    "queries already running finish normally. Retry in a few minutes, or connect through the Switchboard gateway" + gateway +
                    ", which sends queries to a cluster that is serving.");
        }
    }

    @Override
    public void shutdown()
    {
        onShutdown.run();
    }
}
