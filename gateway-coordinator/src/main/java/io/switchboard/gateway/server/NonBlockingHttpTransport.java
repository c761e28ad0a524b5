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

import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.client.transport.internal.HttpConnectionOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

import java.util.Map;

/**
 * HTTP/1.1 to the clusters, with responses handled on the thread that read them. The proxy's
 * response listeners only hand bytes to the client's non-blocking response, so the hand-off to a
 * pool thread that Jetty makes for a connection of unknown invocation type buys nothing.
 */
public final class NonBlockingHttpTransport
        extends HttpClientTransportOverHTTP
{
    public NonBlockingHttpTransport(ClientConnector connector)
    {
        super(connector);
    }

    @Override
    public Connection newConnection(EndPoint endPoint, Map<String, Object> context)
    {
        return customize(new NonBlockingConnection(endPoint, context), context);
    }

    private static final class NonBlockingConnection
            extends HttpConnectionOverHTTP
    {
        NonBlockingConnection(EndPoint endPoint, Map<String, Object> context)
        {
            super(endPoint, context);
        }

        @SuppressWarnings("deprecation")
        @Override
        public InvocationType getInvocationType()
        {
            return InvocationType.NON_BLOCKING;
        }
    }
}
