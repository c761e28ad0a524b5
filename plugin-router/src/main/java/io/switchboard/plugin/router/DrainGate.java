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

import java.util.Map;
import java.util.Optional;

import static io.switchboard.store.routing.TransactionRouteDao.TRANSACTION_CREDENTIAL;
import static io.switchboard.store.status.ClusterState.ACTIVE;
import static java.util.Objects.requireNonNull;

/**
 * Whether a new query may start, whatever the engine: not while the cluster drains, except a
 * statement of a transaction opened before the drain. The engines' access controls refuse with
 * their SPI's {@code SERVER_SHUTTING_DOWN} error and this message.
 */
public class DrainGate
{
    private final String clusterName;
    private final String gateway;
    private final DrainStateMachine stateMachine;
    private final RouterStats stats;

    public DrainGate(String clusterName, Optional<String> gatewayUrl, DrainStateMachine stateMachine, RouterStats stats)
    {
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
        this.gateway = gatewayUrl.map(url -> " at " + url).orElse("");
        this.stateMachine = requireNonNull(stateMachine, "stateMachine is null");
        this.stats = requireNonNull(stats, "stats is null");
    }

    /**
     * The refusal message, empty when the query may start.
     */
    public Optional<String> refusal(Map<String, String> extraCredentials)
    {
        ClusterState state = stateMachine.state();
        // a statement of a transaction opened before the drain, marked by the gateway, may still commit or roll back
        if (state == ACTIVE || extraCredentials.containsKey(TRANSACTION_CREDENTIAL)) {
            return Optional.empty();
        }
        stats.queryRefused();
        return Optional.of("Cluster " + clusterName + " is shutting down (" + state + ") and accepts no new queries; " +
                "queries already running finish normally. Retry in a few minutes, or connect through the Switchboard gateway" + gateway +
                ", which sends queries to a cluster that is serving.");
    }
}
