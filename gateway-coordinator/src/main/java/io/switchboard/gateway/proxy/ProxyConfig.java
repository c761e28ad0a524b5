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
package io.switchboard.gateway.proxy;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.airlift.units.MaxDataSize;
import io.airlift.units.MinDataSize;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

public class ProxyConfig
{
    private String routePrefix = "/cluster";
    private Duration connectTimeout = new Duration(5, SECONDS);
    private Duration idleTimeout = new Duration(10, MINUTES);
    private int maxConnectionsPerCluster = 2048;
    private boolean trustForwardedHeaders;
    private DataSize maxStatementSize = DataSize.of(8, MEGABYTE);
    private DataSize responseBufferSize = DataSize.of(64, KILOBYTE);

    @NotNull
    @Pattern(regexp = "/[a-z0-9_-]+", message = "must be a slash followed by lower-case letters, digits, '_' or '-'")
    public String getRoutePrefix()
    {
        return routePrefix;
    }

    @Config("proxy.route-prefix")
    @ConfigDescription("Path prefix that carries the cluster name in the URIs Trino returns (X-Forwarded-Prefix = <prefix>/<cluster>)")
    public ProxyConfig setRoutePrefix(String routePrefix)
    {
        this.routePrefix = routePrefix;
        return this;
    }

    @NotNull
    @MinDuration("100ms")
    public Duration getConnectTimeout()
    {
        return connectTimeout;
    }

    @Config("proxy.connect-timeout")
    public ProxyConfig setConnectTimeout(Duration connectTimeout)
    {
        this.connectTimeout = connectTimeout;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getIdleTimeout()
    {
        return idleTimeout;
    }

    @Config("proxy.idle-timeout")
    @ConfigDescription("Fail a forwarded request when the cluster sends nothing for this long")
    public ProxyConfig setIdleTimeout(Duration idleTimeout)
    {
        this.idleTimeout = idleTimeout;
        return this;
    }

    @Min(1)
    public int getMaxConnectionsPerCluster()
    {
        return maxConnectionsPerCluster;
    }

    @Config("proxy.max-connections-per-cluster")
    public ProxyConfig setMaxConnectionsPerCluster(int maxConnectionsPerCluster)
    {
        this.maxConnectionsPerCluster = maxConnectionsPerCluster;
        return this;
    }

    @NotNull
    @MinDataSize("1kB")
    @MaxDataSize("1GB")
    public DataSize getMaxStatementSize()
    {
        return maxStatementSize;
    }

    @Config("proxy.max-statement-size")
    @ConfigDescription("Largest SQL text a client may submit; it is read before forwarding, so that a refused submission can go to another cluster")
    public ProxyConfig setMaxStatementSize(DataSize maxStatementSize)
    {
        this.maxStatementSize = maxStatementSize;
        return this;
    }

    @NotNull
    @MinDataSize("4kB")
    // Jetty's buffer pool keeps buffers of up to 64 KB: a larger one would be allocated for every read
    @MaxDataSize("64kB")
    public DataSize getResponseBufferSize()
    {
        return responseBufferSize;
    }

    @Config("proxy.response-buffer-size")
    @ConfigDescription("Most bytes of a cluster's response read at once and passed on to the client as one write")
    public ProxyConfig setResponseBufferSize(DataSize responseBufferSize)
    {
        this.responseBufferSize = responseBufferSize;
        return this;
    }

    public boolean isTrustForwardedHeaders()
    {
        return trustForwardedHeaders;
    }

    @Config("proxy.trust-forwarded-headers")
    @ConfigDescription("Keep X-Forwarded-Host/Proto/Port set by a load balancer in front of the gateway (otherwise they are replaced)")
    public ProxyConfig setTrustForwardedHeaders(boolean trustForwardedHeaders)
    {
        this.trustForwardedHeaders = trustForwardedHeaders;
        return this;
    }
}
