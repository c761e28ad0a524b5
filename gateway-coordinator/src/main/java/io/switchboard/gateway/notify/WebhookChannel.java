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
package io.switchboard.gateway.notify;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * POSTs each notification as JSON: a Slack-compatible {@code text} plus the structured fields.
 * The URL is a secret (Slack and most chat tools put the token in it): only its host is ever shown.
 */
final class WebhookChannel
        implements NotificationChannel
{
    private final URI url;
    private final Duration timeout;
    private final ObjectMapper mapper;
    private final HttpClient client;

    WebhookChannel(URI url, Duration timeout, ObjectMapper mapper)
    {
        this.url = requireNonNull(url, "url is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name()
    {
        return "webhook to " + url.getHost();
    }

    @Override
    public void send(Notification notification)
            throws IOException, InterruptedException
    {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("text", notification.text());
        payload.putAll(notification.fields());
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(payload)))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode() + " from " + name());
        }
    }

    void close()
    {
        client.close();
    }
}
