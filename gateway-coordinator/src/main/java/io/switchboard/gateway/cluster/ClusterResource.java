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
package io.switchboard.gateway.cluster;

import com.google.inject.Inject;
import io.switchboard.gateway.api.ApiJson;
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.store.cluster.DesiredState;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource
{
    private final ClusterRegistry registry;
    private final ClusterAdmin admin;
    private final ClusterHealthMonitor health;
    private final ClusterStatuses statuses;
    private final ApiJson json;

    @Inject
    public ClusterResource(ClusterRegistry registry, ClusterAdmin admin, ClusterHealthMonitor health, ClusterStatuses statuses, ApiJson json)
    {
        this.json = requireNonNull(json, "json is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.admin = requireNonNull(admin, "admin is null");
        this.health = requireNonNull(health, "health is null");
        this.statuses = requireNonNull(statuses, "statuses is null");
    }

    @GET
    public List<ClusterInfo> list()
    {
        return registry.all().stream().map(this::info).collect(toImmutableList());
    }

    @GET
    @Path("{name}")
    public ClusterInfo get(@PathParam("name") String name)
    {
        return info(name);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        String name = admin.add(json.read(body, ClusterSpec.class, ClusterSpec.SHAPE), actor).name();
        return Response.status(Response.Status.CREATED).entity(info(name)).build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClusterInfo update(@PathParam("name") String name, String body, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        admin.update(name, json.read(body, ClusterSpec.class, ClusterSpec.SHAPE), actor);
        return info(name);
    }

    /**
     * Stops placing new queries on the cluster at once; its router plugin then rejects queries
     * submitted to it directly, lets running ones finish and reports DRAINED.
     */
    @POST
    @Path("{name}/drain")
    public ClusterInfo drain(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        admin.setDesiredState(name, DesiredState.DRAINING, Actor.of(request));
        return info(name);
    }

    /**
     * Ends a drain (and a deactivation): the cluster accepts new queries again.
     */
    @POST
    @Path("{name}/activate")
    public ClusterInfo activate(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        admin.setDesiredState(name, DesiredState.ACTIVE, actor);
        if (!registry.get(name).map(Cluster::active).orElse(true)) {
            admin.setActive(name, true, actor);
        }
        return info(name);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        admin.delete(name, Actor.of(request));
        return Response.noContent().build();
    }

    private ClusterInfo info(String name)
    {
        return registry.get(name).map(this::info).orElseThrow(() -> ClusterAdmin.unknownCluster(name));
    }

    private ClusterInfo info(Cluster cluster)
    {
        return ClusterInfo.from(cluster, health.health(cluster.name()), statuses.status(cluster.name()).map(CoordinatorReport::from));
    }
}
