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
package io.switchboard.quickstart;

import com.google.inject.Injector;
import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.server.GatewayHttpServer;
import io.switchboard.testing.TestingMysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A gateway in this JVM, wired by {@link GatewayServer#modules()} as {@code bin/gateway} wires
 * it, on a database given by a {@link TestingMysql}; for the quickstart and the JMH benchmark.
 */
public final class EmbeddedGateway
        implements AutoCloseable
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Injector injector;

    public EmbeddedGateway(TestingMysql mysql, Map<String, String> extraProperties)
    {
        Map<String, String> properties = new HashMap<>();
        properties.put("http-server.http.port", "0");
        properties.put("http-server.http.bind-address", "127.0.0.1");
        properties.put("database.url", mysql.jdbcUrl());
        properties.put("database.user", mysql.connection().user());
        properties.put("clusters.refresh-interval", "500ms");
        properties.putAll(extraProperties);
        injector = GatewayServer.start(properties);
    }

    public URI baseUri()
    {
        return injector.getInstance(GatewayHttpServer.class).baseUri();
    }

    public <T> T instance(Class<T> type)
    {
        return injector.getInstance(type);
    }

    /**
     * Registers a cluster through the admin API, as an operator would.
     */
    public void addCluster(String name, URI proxyUrl, String routingGroup)
    {
        addCluster(name, proxyUrl, routingGroup, "trino");
    }

    /**
     * @param kind {@code trino} or {@code prestodb}
     */
    public void addCluster(String name, URI proxyUrl, String routingGroup, String kind)
    {
        HttpResponse<String> response = send("POST", "/api/v1/clusters", """
                {"name": "%s", "proxyUrl": "%s", "routingGroup": "%s", "kind": "%s"}
                """.formatted(name, proxyUrl, routingGroup, kind));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Cannot add cluster %s: HTTP %s %s".formatted(name, response.statusCode(), response.body()));
        }
    }

    public HttpResponse<String> send(String method, String path, String jsonBody)
    {
        HttpRequest request = HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody, UTF_8))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close()
    {
        injector.getInstance(LifeCycleManager.class).stop();
    }
}
