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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /api/v1/session}: who the caller is and whether the gateway takes administrative
 * changes from them. A read like any other: with a password file it needs a user.
 */
@Path("/api/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource
{
    private final AdminAccess access;

    @Inject
    public SessionResource(AdminAccess access)
    {
        this.access = requireNonNull(access, "access is null");
    }

    @GET
    public AdminAccess.Session session(@Context HttpServletRequest request)
    {
        return access.session(request);
    }
}
