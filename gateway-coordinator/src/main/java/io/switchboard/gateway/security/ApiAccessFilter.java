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
package io.switchboard.gateway.security;

import com.google.inject.Inject;
import io.switchboard.gateway.audit.Actor;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The one place where the API decides who may do what, by method and path: reads need a
 * viewer, writes an admin ({@link AdminAccess}); writes of the native API ({@code /api/v1/...})
 * must also declare a JSON body, those of the presto-gateway compatible API may be forms. The
 * console's static files are open: the calls they make are checked here. A write records its
 * {@link Actor} for the audit log.
 */
@Priority(Priorities.AUTHORIZATION)
public class ApiAccessFilter
        implements ContainerRequestFilter
{
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    // the probes answer supervisors without credentials; /metrics checks its own (metrics.authentication-required)
    private static final Set<String> OPEN_PATHS = Set.of("/livez", "/readyz", "/metrics");

    private final AdminAccess access;

    @Context
    private HttpServletRequest request;

    @Inject
    public ApiAccessFilter(AdminAccess access)
    {
        this.access = requireNonNull(access, "access is null");
    }

    @Override
    public void filter(ContainerRequestContext context)
    {
        String path = "/" + context.getUriInfo().getPath();
        if (path.equals("/console") || path.startsWith("/console/") || (OPEN_PATHS.contains(path) && READS.contains(context.getMethod()))) {
            return;
        }
        try {
            if (READS.contains(context.getMethod())) {
                access.checkCanRead(request);
                return;
            }
            String user = path.startsWith("/api/v1/") ? access.checkCanWriteJson(request) : access.checkCanWrite(request);
            Actor.record(request, Actor.of(user, request));
        }
        catch (RuntimeException refused) {
            // the body of a refused request is read all the same: Jetty closes a connection whose
            // request content is left unread, and a client that keeps it would fail its next request
            discard(context.getEntityStream());
            throw refused;
        }
    }

    private static void discard(InputStream body)
    {
        try (body) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        catch (IOException e) {
            // the connection is closed after the answer, as it would have been
        }
    }
}
