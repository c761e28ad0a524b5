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

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

import java.util.ArrayList;
import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.lang.Math.toIntExact;

public class ServerModule
        implements Module
{
    static final String HTTP_CONNECTOR = "http";
    static final String HTTPS_CONNECTOR = "https";

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(ServerConfig.class);
        configBinder(binder).bindConfig(HttpsConfig.class);
        configBinder(binder).bindConfig(RequestLogConfig.class);
        binder.bind(GatewayCertificate.class).in(Scopes.SINGLETON);
        binder.bind(GatewayHttpServer.class).in(Scopes.SINGLETON);
    }

    /**
     * The first port of the server: the plain one, or the HTTPS one when there is no plain port.
     * A provider of its own, because on the lean I/O path the proxy's HTTP client is built on its
     * selectors. The HTTPS port beside a plain one is a stock Jetty connector on the same server.
     */
    @Provides
    @Singleton
    public static ServerConnector createConnector(ServerConfig config, HttpsConfig httpsConfig, GatewayCertificate certificate)
    {
        checkArgument(config.isEnabled() || httpsConfig.isEnabled(), "http-server.http.enabled=false needs http-server.https.enabled=true: the gateway would have no port");
        int maxThreads = config.getMaxThreads();
        int minThreads = Math.min(8, maxThreads);
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        httpConfiguration.setRequestHeaderSize(toIntExact(config.getMaxRequestHeaderSize().toBytes()));
        httpConfiguration.setSendServerVersion(false);
        httpConfiguration.setSendDateHeader(false);
        ThreadPool threads = switch (config.getIoPath()) {
            case STOCK -> {
                QueuedThreadPool pool = new QueuedThreadPool(maxThreads, minThreads);
                pool.setName("gateway-http");
                yield pool;
            }
            case LEAN -> new GatewayThreadPool(maxThreads, minThreads);
        };
        Server server = new Server(threads);

        List<ServerConnector> connectors = new ArrayList<>();
        if (config.isEnabled()) {
            ServerConnector http = newConnector(server, config, true, new HttpConnectionFactory(httpConfiguration));
            http.setName(HTTP_CONNECTOR);
            http.setHost(config.getBindAddress());
            http.setPort(config.getPort());
            connectors.add(http);
        }
        if (httpsConfig.isEnabled()) {
            ServerConnector https = newConnector(server, config, connectors.isEmpty(), httpsConnectionFactories(httpConfiguration, httpsConfig, certificate.sslContextFactory().orElseThrow()));
            https.setName(HTTPS_CONNECTOR);
            https.setHost(httpsConfig.getBindAddress());
            https.setPort(httpsConfig.getPort());
            connectors.add(https);
        }
        for (ServerConnector connector : connectors) {
            connector.setIdleTimeout(config.getIdleTimeout().toMillis());
            connector.setAcceptQueueSize(1024);
            server.addConnector(connector);
        }
        return connectors.getFirst();
    }

    private static ServerConnector newConnector(Server server, ServerConfig config, boolean first, ConnectionFactory... factories)
    {
        if (first && config.getIoPath() == ServerConfig.IoPath.LEAN) {
            return new SharedSelectorConnector(server, config.getSelectors(), factories);
        }
        return new ServerConnector(server, -1, config.getSelectors(), factories);
    }

    private static ConnectionFactory[] httpsConnectionFactories(HttpConfiguration plain, HttpsConfig config, SslContextFactory.Server sslContextFactory)
    {
        HttpConfiguration https = new HttpConfiguration(plain);
        https.setSecureScheme("https");
        https.setSecurePort(config.getPort());
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // the certificate need not name the host the client asked for: that is the client's check to make
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        if (!config.isHttp2Enabled()) {
            return new ConnectionFactory[] {new SslConnectionFactory(sslContextFactory, http1.getProtocol()), http1};
        }
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(http2.getProtocol(), http1.getProtocol());
        alpn.setDefaultProtocol(http1.getProtocol());
        return new ConnectionFactory[] {new SslConnectionFactory(sslContextFactory, alpn.getProtocol()), alpn, http2, http1};
    }
}
