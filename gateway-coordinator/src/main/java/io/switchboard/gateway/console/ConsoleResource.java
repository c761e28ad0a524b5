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
package io.switchboard.gateway.console;

import com.google.common.collect.ImmutableMap;
import com.google.common.io.Resources;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import java.util.Properties;

/**
 * The operators' console: one page and its script, which read and change the gateway through
 * its own API with the user's credentials, and Chart.js from its webjar, which draws the charts.
 * The files hold no data, so they are served to anyone; the policy lets the page load nothing but
 * these files and talk to nothing but this gateway.
 */
@Path("/console")
public class ConsoleResource
{
    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
            "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private record ConsoleFile(String mediaType, byte[] content) {}

    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    // Chart.js's webjar: its files sit under a directory named by its version
    private static final String CHART_JS_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/%s/dist/chart.umd.js";

    // by name; nothing else is served
    private final Map<String, ConsoleFile> files = ImmutableMap.of(
            "index.html", load(resource("index.html"), "text/html; charset=utf-8"),
            "console.js", load(resource("console.js"), JAVASCRIPT),
            "console.css", load(resource("console.css"), "text/css; charset=utf-8"),
            "chart.umd.js", load(chartJs(), JAVASCRIPT));

    @GET
    public Response page()
    {
        return file("index.html");
    }

    @GET
    @Path("{file}")
    public Response file(@PathParam("file") String name)
    {
        ConsoleFile file = files.get(name);
        if (file == null) {
            throw new NotFoundException("The console has no file " + name);
        }
        return Response.ok(file.content(), file.mediaType())
                .header("Content-Security-Policy", SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-cache")
                .build();
    }

    private static URL resource(String name)
    {
        return Resources.getResource(ConsoleResource.class, name);
    }

    private static URL chartJs()
    {
        Properties properties = new Properties();
        try (InputStream input = Resources.getResource(CHART_JS_PROPERTIES).openStream()) {
            properties.load(input);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Resources.getResource(CHART_JS.formatted(properties.getProperty("version")));
    }

    private static ConsoleFile load(URL resource, String mediaType)
    {
        try {
            return new ConsoleFile(mediaType, Resources.toByteArray(resource));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
