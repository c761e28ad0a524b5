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
package io.switchboard.gateway.compat;

import com.google.inject.Inject;
import io.switchboard.gateway.api.ApiJson;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterAdmin;
import io.switchboard.gateway.cluster.ClusterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.function.Predicate;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static java.util.Objects.requireNonNull;

/**
 * The administrative calls of lyft/presto-gateway and trinodb/trino-gateway, on the gateway
 * port, with their JSON shapes and semantics. Bodies are read whatever their content type:
 * the documented curl commands send JSON as form data.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class PrestoGatewayResource
{
    private static final String GATEWAY_BACKEND = "GATEWAY_BACKEND";

    private final ClusterRegistry registry;
    private final ClusterAdmin admin;
    private final ApiJson json;

    @Inject
    public PrestoGatewayResource(ClusterRegistry registry, ClusterAdmin admin, ApiJson json)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.admin = requireNonNull(admin, "admin is null");
        this.json = requireNonNull(json, "json is null");
    }

    @GET
    @Path("entity")
    public List<String> entityTypes()
    {
        return List.of(GATEWAY_BACKEND);
    }

    @POST
    @Path("entity")
    @Consumes(MediaType.WILDCARD)
    public Response updateEntity(@QueryParam("entityType") String entityType, String body, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        checkEntityType(entityType);
        admin.addOrUpdate(parse(body).toSpec(), actor);
        return Response.ok().build();
    }

    @GET
    @Path("entity/{entityType}")
    public List<ProxyBackend> entities(@PathParam("entityType") String entityType)
    {
        checkEntityType(entityType);
        return backends(_ -> true);
    }

    @GET
    @Path("gateway/backend/all")
    public List<ProxyBackend> allBackends()
    {
        return backends(_ -> true);
    }

    @GET
    @Path("gateway/backend/active")
    public List<ProxyBackend> activeBackends()
    {
        return backends(Cluster::active);
    }

    @POST
    @Path("gateway/backend/activate/{name}")
    public Response activate(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        admin.setActive(name, true, Actor.of(request));
        return Response.ok().build();
    }

    @POST
    @Path("gateway/backend/deactivate/{name}")
    public Response deactivate(@PathParam("name") String name, @Context HttpServletRequest request)
    {
        admin.setActive(name, false, Actor.of(request));
        return Response.ok().build();
    }

    @POST
    @Path("gateway/backend/modify/add")
    @Consumes(MediaType.WILDCARD)
    public ProxyBackend add(String body, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        return ProxyBackend.from(admin.add(parse(body).toSpec(), actor));
    }

    @POST
    @Path("gateway/backend/modify/update")
    @Consumes(MediaType.WILDCARD)
    public ProxyBackend update(String body, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        return ProxyBackend.from(admin.addOrUpdate(parse(body).toSpec(), actor));
    }

    @POST
    @Path("gateway/backend/modify/delete")
    @Consumes(MediaType.WILDCARD)
    public Response delete(String name, @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        if (name == null || name.isBlank()) {
            throw new GatewayException(INVALID_REQUEST, "The body must be the name of the cluster to delete");
        }
        admin.delete(name.strip(), actor);
        return Response.ok().build();
    }

    @GET
    @Path("api/public/backends")
    public List<ProxyBackend> publicBackends()
    {
        return allBackends();
    }

    @GET
    @Path("api/public/backends/{name}")
    public ProxyBackend publicBackend(@PathParam("name") String name)
    {
        return registry.get(name).map(ProxyBackend::from).orElseThrow(() -> ClusterAdmin.unknownCluster(name));
    }

    private List<ProxyBackend> backends(Predicate<Cluster> filter)
    {
        return registry.all().stream().filter(filter).map(ProxyBackend::from).collect(toImmutableList());
    }

    private ProxyBackend parse(String body)
    {
        return json.read(body, ProxyBackend.class, "{\"name\", \"proxyTo\", \"active\", \"routingGroup\", \"externalUrl\"}");
    }

    private static void checkEntityType(String entityType)
    {
        if (!GATEWAY_BACKEND.equals(entityType)) {
            throw new GatewayException(INVALID_REQUEST, "Unsupported entityType '" + entityType + "': only GATEWAY_BACKEND is supported (resource groups are managed in Trino)");
        }
    }
}
