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
package io.switchboard.gateway.server;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.airlift.units.MaxDataSize;
import io.airlift.units.MinDataSize;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static java.util.concurrent.TimeUnit.MINUTES;

public class ServerConfig
{
    /**
     * How the port and the proxy's connections to the clusters do their network I/O.
     */
    public enum IoPath
    {
        /**
         * Jetty's public API only: a {@code ServerConnector}, a {@code QueuedThreadPool}, and an
         * HTTP client with selectors of its own.
         */
        STOCK,
        /**
         * The gateway's own subclasses of Jetty internals: cluster connections on the selectors of
         * the port, a lighter socket end point, connections resumed on the selector thread.
         */
        LEAN,
    }

    private boolean enabled = true;
    private int port = 8080;
    private String bindAddress = "0.0.0.0";
    private int maxThreads = 200;
    private int selectors = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private DataSize maxRequestHeaderSize = DataSize.of(32, KILOBYTE);
    private Duration idleTimeout = new Duration(10, MINUTES);
    private IoPath ioPath = IoPath.LEAN;

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config("http-server.http.enabled")
    @ConfigDescription("Serve plain HTTP on http-server.http.port; with HTTPS enabled, it can be turned off or bound to loopback for health checks")
    public ServerConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    @Min(0)
    @Max(65535)
    public int getPort()
    {
        return port;
    }

    @Config("http-server.http.port")
    @ConfigDescription("Port for the Trino protocol, the API and the console (0 picks a free port)")
    public ServerConfig setPort(int port)
    {
        this.port = port;
        return this;
    }

    @NotNull
    public String getBindAddress()
    {
        return bindAddress;
    }

    @Config("http-server.http.bind-address")
    @ConfigDescription("Address to listen on")
    public ServerConfig setBindAddress(String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    @Min(1)
    @Max(64)
    public int getSelectors()
    {
        return selectors;
    }

    @Config("http-server.selectors")
    @ConfigDescription("Threads that do the network I/O of the port, and on the stock I/O path as many again for the connections to the clusters (default: the number of CPUs, at most 4)")
    public ServerConfig setSelectors(int selectors)
    {
        this.selectors = selectors;
        return this;
    }

    @Min(8)
    public int getMaxThreads()
    {
        return maxThreads;
    }

    @Config("http-server.threads.max")
    @ConfigDescription("Maximum number of server threads; requests are proxied asynchronously, so few are needed")
    public ServerConfig setMaxThreads(int maxThreads)
    {
        this.maxThreads = maxThreads;
        return this;
    }

    @NotNull
    @MinDataSize("1kB")
    @MaxDataSize("1MB")
    public DataSize getMaxRequestHeaderSize()
    {
        return maxRequestHeaderSize;
    }

    @Config("http-server.max-request-header-size")
    @ConfigDescription("Requests with larger headers are refused with 431")
    public ServerConfig setMaxRequestHeaderSize(DataSize maxRequestHeaderSize)
    {
        this.maxRequestHeaderSize = maxRequestHeaderSize;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getIdleTimeout()
    {
        return idleTimeout;
    }

    @Config("http-server.idle-timeout")
    @ConfigDescription("Close client connections idle for this long")
    public ServerConfig setIdleTimeout(Duration idleTimeout)
    {
        this.idleTimeout = idleTimeout;
        return this;
    }

    @NotNull
    public IoPath getIoPath()
    {
        return ioPath;
    }

    @Config("http-server.io-path")
    @ConfigDescription("STOCK: Jetty's own connector, thread pool and HTTP client; LEAN: the gateway's subclasses of Jetty internals, which share the port's selectors with the connections to the clusters")
    public ServerConfig setIoPath(IoPath ioPath)
    {
        this.ioPath = ioPath;
        return this;
    }
}
