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
package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a Trino or PrestoDB coordinator started in a test is ready: both speak the same
 * statement protocol, with their own user header.
 */
final class CoordinatorProbe
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private CoordinatorProbe() {}

    /**
     * Whether {@code GET /v1/info} answers and no longer says {@code starting}.
     */
    static boolean isStarted(URI baseUri)
    {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(baseUri.resolve("/v1/info")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && !MAPPER.readTree(response.body()).path("starting").asBoolean(true);
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the query runs to its end without an error, each request within {@code timeout}.
     */
    static boolean succeeds(URI baseUri, String userHeader, String query, Duration timeout)
    {
        try {
            HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/v1/statement"))
                    .timeout(timeout)
                    .header(userHeader, "switchboard-testing")
                    .POST(HttpRequest.BodyPublishers.ofString(query))
                    .build();
            JsonNode results = MAPPER.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
            while (results.hasNonNull("nextUri")) {
                request = HttpRequest.newBuilder(URI.create(results.get("nextUri").asText()))
                        .timeout(timeout)
                        .header(userHeader, "switchboard-testing")
                        .build();
                results = MAPPER.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
            }
            return !results.hasNonNull("error");
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
