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
package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Injector;
import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.gateway.server.GatewayHttpServer;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A gateway started in this JVM exactly as GatewayServer.main starts it, with a real database.
 */
public final class TestingGateway
        implements AutoCloseable
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Injector injector;

    public TestingGateway(TestingMysql mysql, Map<String, String> extraProperties)
    {
        Map<String, String> properties = new HashMap<>(ImmutableMap.of(
                "http-server.http.port", "0",
                "http-server.http.bind-address", "127.0.0.1",
                "database.url", mysql.jdbcUrl(),
                "database.user", mysql.connection().user(),
                "clusters.refresh-interval", "500ms"));
        properties.putAll(extraProperties);
        injector = GatewayServer.start(properties);
    }

    public URI baseUri()
    {
        return injector.getInstance(GatewayHttpServer.class).baseUri();
    }

    /**
     * The HTTPS port's address, when http-server.https.enabled=true.
     */
    public URI httpsUri()
    {
        return injector.getInstance(GatewayHttpServer.class).httpsBaseUri().orElseThrow();
    }

    public String jdbcUrl()
    {
        return "jdbc:trino://127.0.0.1:" + baseUri().getPort();
    }

    public <T> T instance(Class<T> type)
    {
        return injector.getInstance(type);
    }

    public void addCluster(TrinoServer trino, String routingGroup)
    {
        addCluster(trino, routingGroup, Optional.empty());
    }

    /**
     * @param credentials {@code user:password} of an admin, when the gateway has a password file
     */
    public void addCluster(TrinoServer trino, String routingGroup, Optional<String> credentials)
    {
        HttpResponse<String> response = send("POST", "/api/v1/clusters", """
                {"name": "%s", "proxyUrl": "%s", "routingGroup": "%s"}
                """.formatted(trino.name(), trino.baseUri(), routingGroup), credentials);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Cannot add cluster: " + response.statusCode() + " " + response.body());
        }
    }

    public HttpResponse<String> send(String method, String path, String jsonBody)
    {
        return send(method, path, jsonBody, Optional.empty());
    }

    /**
     * @param credentials {@code user:password} to authenticate with, when the gateway has a password file
     */
    public HttpResponse<String> send(String method, String path, String jsonBody, Optional<String> credentials)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri().resolve(path))
                .header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody, UTF_8));
        credentials.ifPresent(userAndPassword -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(UTF_8))));
        return send(request.build());
    }

    /**
     * Sends the request, with its body read as text.
     */
    public static HttpResponse<String> send(HttpRequest request)
    {
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

    public static JsonNode json(String body)
    {
        try {
            return MAPPER.readTree(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close()
    {
        injector.getInstance(LifeCycleManager.class).stop();
    }
}
