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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The Trino statement protocol spoken by hand, for tests that need to see or steer single requests.
 */
final class TrinoHttp
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TrinoHttp() {}

    static HttpResponse<String> submit(URI server, String sql, String user, String routingGroup)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve("/v1/statement"))
                .header("X-Trino-User", user)
                .POST(HttpRequest.BodyPublishers.ofString(sql, UTF_8));
        if (routingGroup != null) {
            request.header("X-Trino-Routing-Group", routingGroup);
        }
        return send(request);
    }

    static HttpResponse<String> get(URI uri, String user)
    {
        return send(HttpRequest.newBuilder(uri).header("X-Trino-User", user).GET());
    }

    /**
     * The body as it arrived: {@link HttpClient} never inflates compressed bodies itself.
     */
    static HttpResponse<byte[]> getRaw(URI uri, String user, Optional<String> acceptEncoding)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("X-Trino-User", user).GET();
        acceptEncoding.ifPresent(encoding -> request.header("Accept-Encoding", encoding));
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> delete(URI uri, String user)
    {
        return send(HttpRequest.newBuilder(uri).header("X-Trino-User", user).DELETE());
    }

    /**
     * The same URI on another server: what a client behind a load balancer sees when its next
     * request lands on another gateway replica.
     */
    static URI onServer(URI uri, URI server)
    {
        return URI.create(server.getScheme() + "://" + server.getRawAuthority() + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    static JsonNode body(HttpResponse<String> response)
    {
        return TestingGateway.json(response.body());
    }

    static HttpResponse<String> send(HttpRequest.Builder request)
    {
        return send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> bodyHandler)
    {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), bodyHandler);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
