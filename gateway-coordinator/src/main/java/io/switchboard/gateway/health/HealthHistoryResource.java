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
package io.switchboard.gateway.health;

import com.google.inject.Inject;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.store.health.HealthState;
import io.switchboard.store.health.HealthTransition;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

import static io.switchboard.gateway.api.ApiErrors.fromMysql;
import static io.switchboard.gateway.api.ApiErrors.limit;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.util.Objects.requireNonNull;

@Path("/api/v1/clusters/{name}/health-history")
@Produces(MediaType.APPLICATION_JSON)
public class HealthHistoryResource
{
    private static final int MAX_LIMIT = 1000;

    private final ClusterHealthMonitor health;
    private final ClusterRegistry registry;

    /**
     * One health transition as the API shows it; {@code occurredAt} is ISO-8601 UTC.
     */
    public record Transition(String clusterName, String occurredAt, HealthState previousState, HealthState state, String reason, String gatewayId)
    {
        static Transition from(HealthTransition transition)
        {
            return new Transition(
                    transition.clusterName(),
                    transition.occurredAt().toString(),
                    transition.previousState(),
                    transition.state(),
                    transition.reason(),
                    transition.gatewayId());
        }
    }

    @Inject
    public HealthHistoryResource(ClusterHealthMonitor health, ClusterRegistry registry)
    {
        this.health = requireNonNull(health, "health is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    /**
     * The cluster's health transitions seen by every gateway replica, newest first. A removed
     * cluster's history stays readable.
     */
    @GET
    public List<Transition> history(@PathParam("name") String name, @QueryParam("limit") String limitParameter)
    {
        int limit = limit(limitParameter, MAX_LIMIT);
        List<HealthTransition> transitions = fromMysql("the health history", () -> health.history(name, limit));
        if (transitions.isEmpty() && registry.get(name).isEmpty()) {
            throw new GatewayException(NOT_FOUND, "Unknown cluster '" + name + "'");
        }
        return transitions.stream().map(Transition::from).toList();
    }
}
