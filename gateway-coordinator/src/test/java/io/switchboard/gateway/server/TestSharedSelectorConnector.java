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

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class TestSharedSelectorConnector
{
    private static final int CONNECTIONS = 8;

    private Server backend;
    private ServerConnector backendConnector;
    private Server front;
    private SharedSelectorConnector frontConnector;
    private HttpClient clusterClient;
    private HttpClient userClient;

    @BeforeEach
    public void start()
            throws Exception
    {
        backend = new Server();
        backendConnector = new ServerConnector(backend);
        backendConnector.setHost("127.0.0.1");
        backend.addConnector(backendConnector);
        backend.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback)
            {
                String answer = "cluster answered " + request.getHttpURI().getPath();
                if (request.getHttpURI().getPath().startsWith("/slow")) {
                    request.getComponents().getScheduler().schedule(() -> Content.Sink.write(response, true, answer, callback), 500, MILLISECONDS);
                    return true;
                }
                Content.Sink.write(response, true, answer, callback);
                return true;
            }
        });
        backend.start();

        // the gateway's pool: a connection's next request is read on the thread that completed its response
        front = new Server(new GatewayThreadPool(32, 4));
        frontConnector = new SharedSelectorConnector(front, 2, new HttpConnectionFactory());
        frontConnector.setHost("127.0.0.1");
        front.addConnector(frontConnector);
        clusterClient = new HttpClient(new NonBlockingHttpTransport(new SharedSelectorClientConnector(frontConnector)));
        // started by the server, after its threads and before its port
        front.addBean(clusterClient);
        front.setHandler(new ForwardingHandler());
        front.start();

        userClient = new HttpClient();
        userClient.setMaxConnectionsPerDestination(CONNECTIONS);
        userClient.start();
    }

    @AfterEach
    public void stop()
            throws Exception
    {
        userClient.stop();
        front.stop();
        backend.stop();
    }

    @Test
    public void clusterExchangeRunsOnTheSelectorThatReadTheRequest()
            throws Exception
    {
        Set<String> readers = new HashSet<>();
        for (int round = 0; round < 25; round++) {
            List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                responses.add(new CompletableResponseListener(userClient.newRequest(frontUri("/v1/info/" + round + "/" + i))).send());
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                ContentResponse response = responses.get(i).get(10, SECONDS);
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).isEqualTo("cluster answered /v1/info/" + round + "/" + i);
                assertThat(response.getHeaders().get("X-Cluster-Selector")).isEqualTo(response.getHeaders().get("X-Request-Selector"));
                readers.add(response.getHeaders().get("X-Request-Selector"));
            }
        }
        // the user's connections are spread over both selectors, and each forwards on its own
        assertThat(readers).hasSize(2);
    }

    @Test
    public void exchangeOnOpenConnectionsRunsOnTheThreadThatReadTheRequest()
            throws Exception
    {
        // while a connection opens, its selector runs a blocking task and Jetty moves the selecting to another thread
        assertThat(userClient.GET(frontUri("/v1/info/opening")).getStatus()).isEqualTo(200);
        for (int i = 0; i < 50; i++) {
            ContentResponse response = userClient.GET(frontUri("/v1/info/" + i));
            assertThat(response.getContentAsString()).isEqualTo("cluster answered /v1/info/" + i);
            assertThat(response.getHeaders().get("X-Cluster-Response-Thread")).isEqualTo(response.getHeaders().get("X-Request-Thread"));
        }
    }

    @Test
    public void refusedClusterConnectionFailsTheRequest()
            throws Exception
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> clusterClient.newRequest(URI.create("http://127.0.0.1:" + closedPort + "/v1/info")).timeout(10, SECONDS).send())
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(ConnectException.class);

        // the port still serves
        ContentResponse response = userClient.GET(frontUri("/v1/info"));
        assertThat(response.getContentAsString()).isEqualTo("cluster answered /v1/info");
    }

    @Test
    public void pipelinedRequestsAreAnsweredInOrder()
            throws Exception
    {
        try (Socket socket = connectToFront()) {
            write(socket, "GET /v1/info/first HTTP/1.1\r\nHost: gateway\r\n\r\nGET /v1/info/second HTTP/1.1\r\nHost: gateway\r\n\r\n");
            assertThat(readUntil(socket, "cluster answered /v1/info/second"))
                    .containsSubsequence("cluster answered /v1/info/first", "cluster answered /v1/info/second");
        }
    }

    @Test
    public void requestArrivingInPiecesIsAnswered()
            throws Exception
    {
        try (Socket socket = connectToFront()) {
            for (String piece : List.of("GET /v1/info/pie", "ces HTTP/1.1\r\n", "Host: gateway\r\n", "\r\n")) {
                write(socket, piece);
                Thread.sleep(100);
            }
            assertThat(readUntil(socket, "cluster answered /v1/info/pieces")).startsWith("HTTP/1.1 200");
            // and the next request on the same connection
            write(socket, "GET /v1/info/next HTTP/1.1\r\nHost: gateway\r\n\r\n");
            assertThat(readUntil(socket, "cluster answered /v1/info/next")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    public void clientLeavingDuringItsRequestDoesNotDisturbOthers()
            throws Exception
    {
        try (Socket socket = connectToFront()) {
            write(socket, "GET /slow/abandoned HTTP/1.1\r\nHost: gateway\r\n\r\n");
        }
        // the abandoned connection is readable (closed) while its request is at the cluster
        ContentResponse response = userClient.GET(frontUri("/slow/waiting"));
        assertThat(response.getContentAsString()).isEqualTo("cluster answered /slow/waiting");
        response = userClient.GET(frontUri("/v1/info/after"));
        assertThat(response.getContentAsString()).isEqualTo("cluster answered /v1/info/after");
    }

    private URI frontUri(String path)
    {
        return URI.create("http://127.0.0.1:" + frontConnector.getLocalPort() + path);
    }

    private Socket connectToFront()
            throws IOException
    {
        Socket socket = new Socket("127.0.0.1", frontConnector.getLocalPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text)
            throws IOException
    {
        socket.getOutputStream().write(text.getBytes(UTF_8));
        socket.getOutputStream().flush();
    }

    private static String readUntil(Socket socket, String expected)
            throws IOException
    {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!received.toString().contains(expected)) {
            int read = socket.getInputStream().read(buffer);
            if (read < 0) {
                throw new EOFException("Connection closed before '%s'; received: %s".formatted(expected, received));
            }
            received.append(new String(buffer, 0, read, UTF_8));
        }
        return received.toString();
    }

    /**
     * What the proxy does in small: forwards on a connection of the reading thread's selector and
     * answers from the thread the cluster's response arrived on. Tells in headers which selector
     * and thread read the request, and which carried the cluster's response.
     */
    private final class ForwardingHandler
            extends Handler.Abstract.NonBlocking
    {
        @Override
        public boolean handle(Request request, Response response, Callback callback)
        {
            String requestThread = Thread.currentThread().getName();
            clusterClient.newRequest(URI.create("http://127.0.0.1:" + backendConnector.getLocalPort()))
                    .path(request.getHttpURI().getPath())
                    .tag(SharedSelectorConnector.selectorOf(request).orElse(null))
                    .send(new BufferingResponseListener()
                    {
                        @Override
                        public void onComplete(Result result)
                        {
                            if (result.isFailed()) {
                                Response.writeError(request, response, callback, result.getFailure());
                                return;
                            }
                            response.getHeaders().put("X-Request-Selector", selectorName(SharedSelectorConnector.selectorOf(request).orElseThrow()));
                            response.getHeaders().put("X-Cluster-Selector", selectorName(clusterSelector(result.getRequest())));
                            response.getHeaders().put("X-Request-Thread", requestThread);
                            response.getHeaders().put("X-Cluster-Response-Thread", Thread.currentThread().getName());
                            Content.Sink.write(response, true, getContentAsString(), callback);
                        }
                    });
            return true;
        }

        private static Object clusterSelector(org.eclipse.jetty.client.Request clusterRequest)
        {
            EndPoint endPoint = ((AbstractConnection) clusterRequest.getConnection()).getEndPoint();
            return ((LeanSocketEndPoint) endPoint).selector();
        }

        private static String selectorName(Object selector)
        {
            return "selector@" + Integer.toHexString(System.identityHashCode(selector));
        }
    }
}
