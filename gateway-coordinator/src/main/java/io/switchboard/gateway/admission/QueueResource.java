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
package io.switchboard.gateway.admission;

import com.google.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import static java.util.Objects.requireNonNull;

/**
 * What admission control holds on this gateway replica: running queries per group, user and
 * cluster, the queued queries in order, and the counters since the gateway started.
 */
@Path("/api/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource
{
    private final AdmissionController admission;

    @Inject
    public QueueResource(AdmissionController admission)
    {
        this.admission = requireNonNull(admission, "admission is null");
    }

    @GET
    public AdmissionController.Snapshot queue()
    {
        return admission.snapshot();
    }
}
