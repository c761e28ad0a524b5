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

import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Connections to the clusters on the selectors of the gateway's port ({@link SharedSelectorConnector}).
 * The port's connector starts and stops the selectors.
 */
public final class SharedSelectorClientConnector
        extends ClientConnector
        implements SharedSelectorConnector.ClientChannels
{
    private final SharedSelectorConnector serverConnector;

    public SharedSelectorClientConnector(SharedSelectorConnector serverConnector)
    {
        this.serverConnector = requireNonNull(serverConnector, "serverConnector is null");
    }

    @Override
    protected SelectorManager newSelectorManager()
    {
        return serverConnector.getSelectorManager();
    }

    @Override
    public SocketChannelEndPoint newClientEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key)
    {
        // what the transport of a plain TCP destination makes, the only kind the proxy connects to
        SocketChannelEndPoint endPoint = new LeanSocketEndPoint((SocketChannel) channel, selector, key, getScheduler());
        endPoint.setIdleTimeout(getIdleTimeout().toMillis());
        return endPoint;
    }

    @Override
    public Connection newClientConnection(EndPoint endPoint, Map<String, Object> context)
            throws IOException
    {
        return newConnection(endPoint, context);
    }

    @Override
    public void clientConnectFailed(SelectableChannel channel, Throwable failure, Map<String, Object> context)
    {
        connectFailed(channel, (SocketAddress) context.get(REMOTE_SOCKET_ADDRESS_CONTEXT_KEY), failure, context);
    }
}
