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
package io.switchboard.gateway.metrics;

import com.google.inject.Inject;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Liveness and readiness for supervisors (Kubernetes probes, a container HEALTHCHECK, a load
 * balancer): answered from memory, without credentials, revealing only counts.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ProbesResource
{
    private final ClusterRegistry clusters;
    private final ClusterHealthMonitor health;

    @Inject
    public ProbesResource(ClusterRegistry clusters, ClusterHealthMonitor health)
    {
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.health = requireNonNull(health, "health is null");
    }

    public record Liveness(String status) {}

    /**
     * @param mysql {@code reachable}, or {@code unreachable} while the gateway routes with the clusters it last read
     * @param acceptingClusters the clusters that may take a new query: active, not draining, healthy or not probed yet
     * @param reason why the gateway is not ready; empty when it is
     */
    public record Readiness(boolean ready, String mysql, boolean routingFromMemory, int acceptingClusters, Optional<String> reason) {}

    @GET
    @Path("livez")
    public Liveness live()
    {
        return new Liveness("alive");
    }

    @GET
    @Path("readyz")
    public Response ready()
    {
        boolean mysqlReachable = clusters.isMysqlReachable();
        int accepting = 0;
        for (Cluster cluster : clusters.all()) {
            if (cluster.acceptsNewQueries() && health.isRoutable(cluster.name())) {
                accepting++;
            }
        }
        Optional<String> reason = Optional.empty();
        if (!mysqlReachable && !clusters.isLoaded()) {
            reason = Optional.of("MySQL is unreachable and the gateway has never read its clusters: it has nothing to route by");
        }
        else if (accepting == 0) {
            reason = Optional.of(clusters.all().isEmpty()
                    ? "No cluster is configured"
                    : "No cluster accepts new queries: every one is deactivated, draining, unhealthy or misconfigured");
        }
        Readiness readiness = new Readiness(reason.isEmpty(), mysqlReachable ? "reachable" : "unreachable", !mysqlReachable && clusters.isLoaded(), accepting, reason);
        return Response.status(readiness.ready() ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE).entity(readiness).build();
    }
}
