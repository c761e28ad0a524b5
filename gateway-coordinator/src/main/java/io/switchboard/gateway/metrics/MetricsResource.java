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
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.switchboard.gateway.security.AdminAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's metrics for Prometheus: OpenMetrics text when the scraper asks for it (as
 * Prometheus does), the Prometheus text format otherwise.
 */
@Path("/metrics")
public class MetricsResource
{
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final AdminAccess access;
    private final boolean authenticationRequired;

    @Inject
    public MetricsResource(PrometheusRegistry registry, AdminAccess access, MetricsConfig config)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.access = requireNonNull(access, "access is null");
        this.authenticationRequired = config.isAuthenticationRequired();
    }

    @GET
    public Response metrics(@HeaderParam(HttpHeaders.ACCEPT) String accept, @Context HttpServletRequest request)
    {
        if (authenticationRequired) {
            access.checkCanRead(request);
        }
        ExpositionFormatWriter writer = formats.findWriter(accept);
        MetricSnapshots snapshots = registry.scrape();
        StreamingOutput body = output -> writer.write(output, snapshots);
        return Response.ok(body).type(writer.getContentType()).build();
    }
}
