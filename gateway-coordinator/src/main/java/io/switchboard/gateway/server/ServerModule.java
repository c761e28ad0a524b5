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

import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.lang.Math.toIntExact;

public class ServerModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(ServerConfig.class);
        binder.bind(GatewayHttpServer.class).in(Scopes.SINGLETON);
    }

    /**
     * The port. A provider of its own, because the proxy's HTTP client is built on its selectors.
     */
    @Provides
    @Singleton
    public static SharedSelectorConnector createConnector(ServerConfig config)
    {
        Server server = new Server(new GatewayThreadPool(config.getMaxThreads(), Math.min(8, config.getMaxThreads())));
        HttpConfiguration httpConfiguration = new HttpConfiguration();
        httpConfiguration.setRequestHeaderSize(toIntExact(config.getMaxRequestHeaderSize().toBytes()));
        httpConfiguration.setSendServerVersion(false);
        httpConfiguration.setSendDateHeader(false);
        SharedSelectorConnector connector = new SharedSelectorConnector(server, config.getSelectors(), new HttpConnectionFactory(httpConfiguration));
        connector.setHost(config.getBindAddress());
        connector.setPort(config.getPort());
        connector.setIdleTimeout(config.getIdleTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        return connector;
    }
}
