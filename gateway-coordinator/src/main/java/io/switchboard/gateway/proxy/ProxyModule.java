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

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import io.switchboard.gateway.cluster.ClusterAddressResolver;
import io.switchboard.gateway.cluster.ClusterConfig;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import io.switchboard.gateway.server.NonBlockingHttpTransport;
import io.switchboard.gateway.server.ServerConfig;
import io.switchboard.gateway.server.SharedSelectorClientConnector;
import io.switchboard.gateway.server.SharedSelectorConnector;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.concurrent.Executor;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.lang.Math.toIntExact;

public class ProxyModule
        implements Module
{
    private static final int FORWARDED_HEADERS_ALLOWANCE = 4096;

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(ProxyConfig.class);
        binder.bind(QueryLocator.class).in(Scopes.SINGLETON);
        binder.bind(TrinoProxyHandler.class).in(Scopes.SINGLETON);
        binder.bind(ProxyMetrics.class).in(Scopes.SINGLETON);
    }

    /**
     * The HTTP client to the clusters: Jetty's own, or on the lean I/O path one on the selectors of
     * the gateway's port. Started with the proxy handler, once the port's threads run.
     */
    /**
     * The SQL parser of the routing rules reads no more than the proxy accepts.
     */
    @Provides
    @Singleton
    public static SqlFactsExtractor createSqlFactsExtractor(ProxyConfig config)
    {
        return new SqlFactsExtractor(config.getMaxStatementSize());
    }

    @Provides
    @Singleton
    @ForProxy
    public static HttpClient createHttpClient(ProxyConfig config, ServerConfig serverConfig, ClusterConfig clusterConfig, ServerConnector serverConnector)
    {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("proxy-client");
        threads.setDaemon(true);
        HttpClientTransport transport = switch (serverConfig.getIoPath()) {
            case STOCK -> {
                ClientConnector connector = new ClientConnector();
                connector.setSelectors(serverConfig.getSelectors());
                yield new HttpClientTransportOverHTTP(configure(connector, config, threads));
            }
            case LEAN -> new NonBlockingHttpTransport(configure(new SharedSelectorClientConnector((SharedSelectorConnector) serverConnector), config, threads));
        };
        HttpClient client = new PassThroughHttpClient(transport);
        client.setExecutor(threads);
        ClusterAddressResolver.install(client, threads, "proxy-client", clusterConfig.isAllowLinkLocalAddresses());
        client.setMaxConnectionsPerDestination(config.getMaxConnectionsPerCluster());
        client.setMaxRequestsQueuedPerDestination(64 * 1024);
        client.setIdleTimeout(config.getIdleTimeout().toMillis());
        client.setResponseBufferSize(toIntExact(config.getResponseBufferSize().toBytes()));
        // whatever headers the gateway accepts from a client it can send on, with its forwarded headers added
        client.setMaxRequestHeadersSize(toIntExact(serverConfig.getMaxRequestHeaderSize().toBytes()) + FORWARDED_HEADERS_ALLOWANCE);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        return client;
    }

    private static ClientConnector configure(ClientConnector connector, ProxyConfig config, Executor threads)
    {
        connector.setExecutor(threads);
        connector.setConnectTimeout(java.time.Duration.ofMillis(config.getConnectTimeout().toMillis()));
        return connector;
    }

    private static final class PassThroughHttpClient
            extends HttpClient
    {
        PassThroughHttpClient(HttpClientTransport transport)
        {
            super(transport);
        }

        @Override
        protected void doStart()
                throws Exception
        {
            super.doStart();
            // after start, which installs the defaults: with a gzip decoder the client would ask clusters
            // for gzip on its own and inflate their responses, instead of passing bodies through untouched
            getContentDecoderFactories().clear();
            // no redirects, authentication or 100-continue handling: responses go to the client as they are
            getProtocolHandlers().clear();
        }
    }
}
