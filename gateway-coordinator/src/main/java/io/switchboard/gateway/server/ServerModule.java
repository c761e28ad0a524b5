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
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.lang.Math.toIntExact;

public class ServerModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(ServerConfig.class);
        configBinder(binder).bindConfig(RequestLogConfig.class);
        binder.bind(GatewayHttpServer.class).in(Scopes.SINGLETON);
    }

    /**
     * The port. A provider of its own, because on the lean I/O path the proxy's HTTP client is built
     * on its selectors.
     */
    @Provides
    @Singleton
    public static ServerConnector createConnector(ServerConfig config)
    {
        int maxThreads = config.getMaxThreads();
        int minThreads = Math.min(8, maxThreads);
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        httpConfiguration.setRequestHeaderSize(toIntExact(config.getMaxRequestHeaderSize().toBytes()));
        httpConfiguration.setSendServerVersion(false);
        httpConfiguration.setSendDateHeader(false);
        HttpConnectionFactory http = new HttpConnectionFactory(httpConfiguration);
        ServerConnector connector = switch (config.getIoPath()) {
            case STOCK -> {
                QueuedThreadPool threads = new QueuedThreadPool(maxThreads, minThreads);
                threads.setName("gateway-http");
                yield new ServerConnector(new Server(threads), -1, config.getSelectors(), http);
            }
            case LEAN -> new SharedSelectorConnector(new Server(new GatewayThreadPool(maxThreads, minThreads)), config.getSelectors(), http);
        };
        Server server = connector.getServer();
        connector.setHost(config.getBindAddress());
        connector.setPort(config.getPort());
        connector.setIdleTimeout(config.getIdleTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        return connector;
    }
}
