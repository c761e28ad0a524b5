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
import io.switchboard.gateway.security.AdminAccess;
import io.switchboard.store.cluster.ClusterRecord;
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
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static jakarta.ws.rs.core.Response.Status.BAD_REQUEST;
import static jakarta.ws.rs.core.Response.Status.CONFLICT;
import static jakarta.ws.rs.core.Response.Status.NOT_FOUND;
import static java.util.Objects.requireNonNull;

@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource
{
    private final ClusterRegistry registry;

    @Inject
    public ClusterResource(ClusterRegistry registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @GET
    public List<ClusterInfo> list()
    {
        return registry.all().stream().map(ClusterInfo::from).collect(toImmutableList());
    }

    @GET
    @Path("{name}")
    public ClusterInfo get(@PathParam("name") String name)
    {
        return registry.get(name).map(ClusterInfo::from).orElseThrow(() -> unknownCluster(name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ClusterSpec spec, @Context HttpServletRequest request)
    {
        AdminAccess.checkCanWrite(request);
        ClusterRecord record = validated(spec, DesiredState.ACTIVE);
        if (!registry.dao().insert(record)) {
            throw error(CONFLICT, "Cluster '" + record.name() + "' already exists; use PUT /api/v1/clusters/" + record.name() + " to change it");
        }
        registry.refresh();
        return Response.status(Response.Status.CREATED).entity(get(record.name())).build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClusterInfo update(@PathParam("name") String name, ClusterSpec spec, @Context HttpServletRequest request)
    {
        AdminAccess.checkCanWrite(request);
        if (spec != null && spec.name() != null && !spec.name().equals(name)) {
            throw error(BAD_REQUEST, "The name in the body ('" + spec.name() + "') differs from the name in the path ('" + name + "'); clusters cannot be renamed");
        }
        ClusterRecord existing = registry.dao().get(name).orElseThrow(() -> unknownCluster(name));
        ClusterSpec named = spec == null ? null : new ClusterSpec(name, spec.proxyUrl(), spec.externalUrl(), spec.routingGroup(), spec.active(), spec.weight());
        if (!registry.dao().update(validated(named, existing.desiredState()))) {
            throw unknownCluster(name);
        }
        registry.refresh();
        return get(name);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        AdminAccess.checkCanWrite(request);
        if (!registry.dao().delete(name)) {
            throw unknownCluster(name);
        }
        registry.refresh();
        return Response.noContent().build();
    }

    private static ClusterRecord validated(ClusterSpec spec, DesiredState desiredState)
    {
        if (spec == null) {
            throw error(BAD_REQUEST, "A JSON body is required: {\"name\", \"proxyUrl\", \"externalUrl\", \"routingGroup\", \"active\", \"weight\"}");
        }
        try {
            return spec.toRecord(desiredState);
        }
        catch (IllegalArgumentException e) {
            throw error(BAD_REQUEST, e.getMessage());
        }
    }

    private static WebApplicationException unknownCluster(String name)
    {
        return error(NOT_FOUND, "Unknown cluster '" + name + "'");
    }

    static WebApplicationException error(Response.Status status, String message)
    {
        return new WebApplicationException(message, Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", message))
                .build());
    }
}
