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

import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The gateway's port, whose selectors also serve the connections to the clusters. A request is
 * forwarded on a cluster connection of the same selector as the client's connection, so that
 * the whole exchange (request, response, and the client connection's return to reading) runs on
 * one thread once the connections are open, as in nginx's workers: no hand-off from a server to a client selector, and no
 * wake-up of a selector blocked in {@code epoll_wait} to re-arm the client's connection. Used on
 * {@code http-server.io-path=LEAN} only; what it buys over stock Jetty is measured in
 * docs/benchmarks.md.
 */
public final class SharedSelectorConnector
        extends ServerConnector
{
    // the selector a cluster connection is registered on: SelectorManager.chooseSelector() takes no arguments
    private final ThreadLocal<ManagedSelector> chosenSelector = new ThreadLocal<>();

    public SharedSelectorConnector(Server server, int selectors, ConnectionFactory... connectionFactories)
    {
        super(server, -1, selectors, connectionFactories);
    }

    /**
     * The selector of the connection a request came on, to tag the request to its cluster with:
     * the HTTP client keeps one connection pool per tag, and opens its connections on the
     * tagged selector.
     */
    public static Optional<Object> selectorOf(Request request)
    {
        if (request.getConnectionMetaData().getConnection().getEndPoint() instanceof LeanSocketEndPoint endPoint) {
            return Optional.ofNullable(endPoint.selector());
        }
        return Optional.empty();
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key)
    {
        SocketChannelEndPoint endPoint = new LeanSocketEndPoint(channel, selector, key, getScheduler());
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors)
    {
        return new SharedSelectorManager(executor, scheduler, selectors);
    }

    /**
     * The client side of the shared selectors: what {@link ClientConnector}'s own selector manager
     * would do with a channel it connected.
     */
    public interface ClientChannels
    {
        SocketChannelEndPoint newClientEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key);

        Connection newClientConnection(EndPoint endPoint, Map<String, Object> context)
                throws IOException;

        void clientConnectFailed(SelectableChannel channel, Throwable failure, Map<String, Object> context);
    }

    private final class SharedSelectorManager
            extends ServerConnectorManager
    {
        SharedSelectorManager(Executor executor, Scheduler scheduler, int selectors)
        {
            super(executor, scheduler, selectors);
        }

        @Override
        protected ManagedSelector chooseSelector()
        {
            ManagedSelector chosen = chosenSelector.get();
            return chosen == null ? super.chooseSelector() : chosen;
        }

        @Override
        public void connect(SelectableChannel channel, Object attachment)
        {
            onTaggedSelector(attachment, () -> super.connect(channel, attachment));
        }

        @Override
        public void accept(SelectableChannel channel, Object attachment)
        {
            onTaggedSelector(attachment, () -> super.accept(channel, attachment));
        }

        private void onTaggedSelector(Object attachment, Runnable registration)
        {
            if (attachment instanceof Map<?, ?> context
                    && context.get(HttpClientTransport.HTTP_DESTINATION_CONTEXT_KEY) instanceof Destination destination
                    && destination.getOrigin().getTag() instanceof ManagedSelector tagged) {
                chosenSelector.set(tagged);
                try {
                    registration.run();
                }
                finally {
                    chosenSelector.remove();
                }
                return;
            }
            registration.run();
        }

        @Override
        protected SocketChannelEndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key)
                throws IOException
        {
            Optional<ClientChannels> client = client(key.attachment());
            if (client.isPresent()) {
                return client.get().newClientEndPoint(channel, selector, key);
            }
            return super.newEndPoint(channel, selector, key);
        }

        @Override
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment)
                throws IOException
        {
            Optional<ClientChannels> client = client(attachment);
            if (client.isPresent()) {
                return client.get().newClientConnection(endPoint, context(attachment));
            }
            return super.newConnection(channel, endPoint, attachment);
        }

        @Override
        protected void endPointOpened(EndPoint endPoint)
        {
            if (!isClient(endPoint)) {
                super.endPointOpened(endPoint);
            }
        }

        @Override
        protected void endPointClosed(EndPoint endPoint)
        {
            if (!isClient(endPoint)) {
                super.endPointClosed(endPoint);
            }
        }

        @Override
        public void connectionOpened(Connection connection, Object attachment)
        {
            if (client(attachment).isEmpty()) {
                super.connectionOpened(connection, attachment);
                return;
            }
            @SuppressWarnings("unchecked")
            org.eclipse.jetty.util.Promise<Connection> promise = (org.eclipse.jetty.util.Promise<Connection>) context(attachment).get(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY);
            try {
                super.connectionOpened(connection, attachment);
                promise.succeeded(connection);
            }
            catch (Throwable t) {
                promise.failed(t);
            }
        }

        @Override
        protected void connectionFailed(SelectableChannel channel, Throwable failure, Object attachment)
        {
            super.connectionFailed(channel, failure, attachment);
            client(attachment).ifPresent(client -> client.clientConnectFailed(channel, failure, context(attachment)));
        }

        private static boolean isClient(EndPoint endPoint)
        {
            return endPoint.getConnection() instanceof org.eclipse.jetty.client.Connection;
        }

        private static Optional<ClientChannels> client(Object attachment)
        {
            if (attachment instanceof Map<?, ?> context && context.get(ClientConnector.CLIENT_CONNECTOR_CONTEXT_KEY) instanceof ClientChannels client) {
                return Optional.of(client);
            }
            return Optional.empty();
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> context(Object attachment)
        {
            return (Map<String, Object>) attachment;
        }
    }
}
