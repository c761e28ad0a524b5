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

import com.google.inject.Inject;
import io.airlift.http.server.JettyRequestLog;
import io.switchboard.gateway.proxy.TrinoProxyHandler;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One port for everything (or two: a plain one and an HTTPS one). Trino protocol requests are proxied by a Jetty core handler
 * (asynchronous, streaming, no servlet layer on the hot path); everything else falls through to
 * the JAX-RS application (the API).
 */
public class GatewayHttpServer
{
    private static final long MAX_API_BODY_BYTES = 64 * 1024;

    private final Server server;

    @Inject
    public GatewayHttpServer(ServerConnector connector, TrinoProxyHandler proxyHandler, Servlet apiServlet, RequestLogConfig requestLog)
    {
        server = requireNonNull(connector, "connector is null").getServer();

        ServletContextHandler api = new ServletContextHandler("/");
        api.addServlet(new ServletHolder("api", apiServlet), "/*");

        // the API's bodies are small JSON documents: a larger one is refused before it is read
        SizeLimitHandler limitedApi = new SizeLimitHandler(MAX_API_BODY_BYTES, -1);
        limitedApi.setHandler(api);
        server.setHandler(new Handler.Sequence(proxyHandler, new OffloadingHandler(limitedApi, server.getThreadPool())));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        server.setErrorHandler(errors);
        server.setStopTimeout(5_000);
        if (requestLog.isEnabled()) {
            server.setRequestLog(new JettyRequestLog(
                    requestLog.getPath(),
                    requestLog.getMaxHistory(),
                    requestLog.getQueueSize(),
                    requestLog.getMaxSize().toBytes(),
                    requestLog.isCompressionEnabled(),
                    requestLog.isImmediateFlush()));
        }
    }

    @PostConstruct
    public void start()
            throws Exception
    {
        server.start();
    }

    @PreDestroy
    public void stop()
            throws Exception
    {
        server.stop();
    }

    /**
     * The plain port, if enabled.
     */
    public OptionalInt port()
    {
        return localPort(ServerModule.HTTP_CONNECTOR);
    }

    /**
     * The HTTPS port, if enabled.
     */
    public OptionalInt httpsPort()
    {
        return localPort(ServerModule.HTTPS_CONNECTOR);
    }

    /**
     * The plain port's address on loopback, or the HTTPS port's when there is no plain port.
     */
    public URI baseUri()
    {
        return port().stream().mapToObj(port -> URI.create("http://127.0.0.1:" + port))
                .findFirst()
                .orElseGet(() -> httpsBaseUri().orElseThrow());
    }

    /**
     * The addresses of both ports on loopback, for the start-up message.
     */
    public List<URI> baseUris()
    {
        return Stream.concat(port().stream().mapToObj(port -> URI.create("http://127.0.0.1:" + port)), httpsBaseUri().stream()).toList();
    }

    public Optional<URI> httpsBaseUri()
    {
        return httpsPort().stream().mapToObj(port -> URI.create("https://127.0.0.1:" + port)).findFirst();
    }

    private OptionalInt localPort(String connectorName)
    {
        return Arrays.stream(server.getConnectors())
                .filter(connector -> connectorName.equals(connector.getName()))
                .mapToInt(connector -> ((ServerConnector) connector).getLocalPort())
                .findFirst();
    }
}
