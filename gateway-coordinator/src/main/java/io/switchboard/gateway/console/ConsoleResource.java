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
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operators' console: one page and its script, which read and change the gateway through
 * its own API with the user's credentials. The files hold no data, so they are served to anyone;
 * the policy lets the page load nothing but these files and talk to nothing but this gateway.
 */
@Path("/console")
public class ConsoleResource
{
    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
            "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private record ConsoleFile(String mediaType, byte[] content) {}

    // by name; nothing else is served
    private final Map<String, ConsoleFile> files = ImmutableMap.of(
            "index.html", load("index.html", "text/html; charset=utf-8"),
            "console.js", load("console.js", "text/javascript; charset=utf-8"),
            "console.css", load("console.css", "text/css; charset=utf-8"));

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

    private static ConsoleFile load(String name, String mediaType)
    {
        try {
            return new ConsoleFile(mediaType, Resources.toByteArray(Resources.getResource(ConsoleResource.class, name)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
