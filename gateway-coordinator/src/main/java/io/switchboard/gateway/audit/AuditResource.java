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
package io.switchboard.gateway.audit;

import com.google.inject.Inject;
import io.switchboard.store.audit.AuditEntry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

import static io.switchboard.gateway.api.ApiErrors.limit;
import static java.util.Objects.requireNonNull;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource
{
    private final AuditLog auditLog;

    @Inject
    public AuditResource(AuditLog auditLog)
    {
        this.auditLog = requireNonNull(auditLog, "auditLog is null");
    }

    @GET
    public List<AuditEntry> latest(@QueryParam("limit") String limitParameter, @QueryParam("target") String target)
    {
        return auditLog.latest(limit(limitParameter, 10_000), target);
    }
}
