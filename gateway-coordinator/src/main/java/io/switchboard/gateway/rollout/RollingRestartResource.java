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
package io.switchboard.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.common.collect.ImmutableSet;
import com.google.inject.Inject;
import io.airlift.units.Duration;
import io.switchboard.gateway.api.ApiJson;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.audit.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Iterator;
import java.util.Set;

import static io.switchboard.gateway.api.GatewayException.Reason.INVALID_REQUEST;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.util.Objects.requireNonNull;

/**
 * {@code POST} starts a rolling restart of a routing group (drain, restart by the supervisor,
 * activate, one cluster at a time); {@code GET} shows the latest one, whichever gateway replica runs it.
 */
@Path("/api/v1/routing-groups/{group}/rolling-restart")
@Produces(MediaType.APPLICATION_JSON)
public class RollingRestartResource
{
    private static final Set<String> BODY_FIELDS = ImmutableSet.of("drainTimeout", "restartTimeout", "force");

    private final RollingRestarts rollingRestarts;
    private final ApiJson json;

    @Inject
    public RollingRestartResource(RollingRestarts rollingRestarts, ApiJson json)
    {
        this.rollingRestarts = requireNonNull(rollingRestarts, "rollingRestarts is null");
        this.json = requireNonNull(json, "json is null");
    }

    /**
     * Options come from an optional JSON body {@code {"drainTimeout": "30m", "restartTimeout": "10m", "force": false}}
     * or from query parameters of the same names; the body wins.
     */
    @POST
    public Response start(
            @PathParam("group") String group,
            @QueryParam("drainTimeout") String drainTimeout,
            @QueryParam("restartTimeout") String restartTimeout,
            @QueryParam("force") String force,
            String body,
            @Context HttpServletRequest request)
    {
        Actor actor = Actor.of(request);
        JsonNode json = parseBody(body);
        RolloutOptions options = options(
                text(json, "drainTimeout", drainTimeout),
                text(json, "restartTimeout", restartTimeout),
                text(json, "force", force));
        RolloutView started = rollingRestarts.start(group, options, actor);
        return Response.status(Response.Status.ACCEPTED).entity(started).build();
    }

    @GET
    public RolloutView latest(@PathParam("group") String group)
    {
        return rollingRestarts.latest(group).orElseThrow(() -> new GatewayException(NOT_FOUND,
                "No rolling restart of routing group " + group + " yet"));
    }

    private RolloutOptions options(String drainTimeout, String restartTimeout, String force)
    {
        RolloutConfig config = rollingRestarts.config();
        try {
            return new RolloutOptions(
                    drainTimeout == null ? config.getDrainTimeout() : Duration.valueOf(drainTimeout),
                    restartTimeout == null ? config.getRestartTimeout() : Duration.valueOf(restartTimeout),
                    parseBoolean(force));
        }
        catch (IllegalArgumentException e) {
            throw new GatewayException(INVALID_REQUEST, "Invalid rolling restart options: " + e.getMessage() + " (durations look like 30s, 10m, 1h)");
        }
    }

    private static boolean parseBoolean(String value)
    {
        if (value == null || value.isEmpty()) {
            return false;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("force must be true or false: " + value);
        }
        return Boolean.parseBoolean(value);
    }

    private JsonNode parseBody(String body)
    {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode options = json.readObject(body, "{\"drainTimeout\": \"30m\", \"restartTimeout\": \"10m\", \"force\": false}");
        for (Iterator<String> names = options.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!BODY_FIELDS.contains(name)) {
                throw new GatewayException(INVALID_REQUEST, "Unknown field '" + name + "'; known: " + BODY_FIELDS);
            }
        }
        return options;
    }

    private static String text(JsonNode json, String field, String fallback)
    {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}
