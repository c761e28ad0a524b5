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

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * A browser without JavaScript for login flows: it follows redirects, keeps cookies (by path,
 * {@code Secure} ones over HTTPS only) and remembers every address it opened, so that a test sees
 * a login loop as the loop it is.
 */
final class Browser
{
    private static final int MAX_REDIRECTS = 10;

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;
    private final List<URI> visited = new CopyOnWriteArrayList<>();

    Browser(SSLContext sslContext)
    {
        client = HttpClient.newBuilder()
                .sslContext(sslContext)
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Opens the address and follows its redirects; fails on more than {@value MAX_REDIRECTS} in a row.
     */
    HttpResponse<String> open(URI uri)
    {
        URI current = uri;
        for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
            visited.add(current);
            HttpResponse<String> response = get(current);
            Optional<String> location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                return response;
            }
            current = current.resolve(location.get());
        }
        throw new AssertionError("More than " + MAX_REDIRECTS + " redirects in a row, a loop: " + visited);
    }

    List<URI> visited()
    {
        return List.copyOf(visited);
    }

    long visitsTo(URI server)
    {
        return visited.stream().filter(uri -> uri.getPort() == server.getPort() && uri.getHost().equals(server.getHost())).count();
    }

    Optional<String> cookie(String name)
    {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    private HttpResponse<String> get(URI uri)
    {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString(UTF_8));
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
