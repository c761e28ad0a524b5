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
import org.eclipse.jetty.io.Content;
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

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
                Content.Sink.write(response, true, "cluster answered " + request.getHttpURI().getPath(), callback);
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
    public void clusterExchangeRunsOnTheSelectorThreadThatReadTheRequest()
            throws Exception
    {
        Set<String> readers = new HashSet<>();
        for (int round = 0; round < 25; round++) {
            List<CompletableFuture<ContentResponse>> responses = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                responses.add(new CompletableResponseListener(userClient.newRequest(
                        URI.create("http://127.0.0.1:" + frontConnector.getLocalPort() + "/v1/info/" + round + "/" + i))).send());
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                ContentResponse response = responses.get(i).get(10, SECONDS);
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContentAsString()).isEqualTo("cluster answered /v1/info/" + round + "/" + i);
                assertThat(response.getHeaders().get("X-Cluster-Response-Thread")).isEqualTo(response.getHeaders().get("X-Request-Thread"));
                readers.add(response.getHeaders().get("X-Request-Thread"));
            }
        }
        // the user's connections are spread over both selectors, and each forwards on its own
        assertThat(readers).hasSize(2);
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
        ContentResponse response = userClient.GET("http://127.0.0.1:" + frontConnector.getLocalPort() + "/v1/info");
        assertThat(response.getContentAsString()).isEqualTo("cluster answered /v1/info");
    }

    /**
     * What the proxy does in small: forwards on a connection of the reading thread's selector and
     * answers from the thread the cluster's response arrived on.
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
                    .tag(frontConnector.selectorOf(request).orElse(null))
                    .send(new BufferingResponseListener()
                    {
                        @Override
                        public void onComplete(Result result)
                        {
                            if (result.isFailed()) {
                                Response.writeError(request, response, callback, result.getFailure());
                                return;
                            }
                            response.getHeaders().put("X-Request-Thread", requestThread);
                            response.getHeaders().put("X-Cluster-Response-Thread", Thread.currentThread().getName());
                            Content.Sink.write(response, true, getContentAsString(), callback);
                        }
                    });
            return true;
        }
    }
}
