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
package io.switchboard.gateway.security;

import com.google.common.base.Ticker;
import com.google.inject.Inject;
import io.switchboard.gateway.api.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.InetAddress;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static io.switchboard.gateway.api.GatewayException.Reason.FORBIDDEN;
import static io.switchboard.gateway.api.GatewayException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static jakarta.ws.rs.core.Response.Status.UNAUTHORIZED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Locale.ENGLISH;

/**
 * Who may read and change the gateway's configuration. With {@code security.password-file}
 * set, the API needs HTTP Basic authentication: viewers read, admins also write. Without it,
 * reads are open and administrative writes are accepted only from loopback addresses.
 * <p>
 * Whatever the authenticator, a write sent by a web page of another origin is refused: a
 * browser on the gateway's host (or one that remembers a Basic password) would otherwise carry
 * out a write for any page it shows. Browsers name the page's origin in {@code Origin} and
 * {@code Sec-Fetch-Site}; other clients send neither.
 */
public class AdminAccess
{
    private final Optional<PasswordFileAuthenticator> passwords;

    @Inject
    public AdminAccess(SecurityConfig config)
    {
        this.passwords = config.getPasswordFile().map(file -> new PasswordFileAuthenticator(
                Paths.get(file), config.getPasswordFileRefreshPeriod(), config.getPasswordCacheMaxSize(), Ticker.systemTicker()));
    }

    /**
     * @return the actor to record in the audit log
     */
    public String checkCanWrite(HttpServletRequest request)
    {
        checkSameOrigin(request);
        return authorizeWrite(request);
    }

    private String authorizeWrite(HttpServletRequest request)
    {
        if (passwords.isEmpty()) {
            String remote = request.getRemoteAddr();
            if (!isLoopback(remote)) {
                throw new GatewayException(FORBIDDEN, "Administrative changes are accepted only from the gateway's own host (loopback) " +
                        "while no authenticator is configured (security.password-file); request came from " + remote);
            }
            return "anonymous";
        }
        Authenticated user = authenticate(request);
        if (user.role() != Role.ADMIN) {
            throw new GatewayException(FORBIDDEN, "User " + user.name() + " may read but not change the gateway's configuration: the admin role is needed");
        }
        return user.name();
    }

    /**
     * {@link #checkCanWrite}, for the native API, whose writes must also declare a JSON body
     * (which may be empty): a page of another origin cannot send that content type without
     * the gateway's consent, even in a browser that sends no {@code Origin}.
     */
    public String checkCanWriteJson(HttpServletRequest request)
    {
        checkSameOrigin(request);
        String contentType = request.getContentType();
        if (contentType == null || !isJson(contentType)) {
            throw new GatewayException(UNSUPPORTED_MEDIA_TYPE, "Administrative requests must be sent with Content-Type: application/json (the body may be empty), was " +
                    (contentType == null ? "none" : "'" + contentType + "'"));
        }
        return authorizeWrite(request);
    }

    public void checkCanRead(HttpServletRequest request)
    {
        if (passwords.isPresent()) {
            authenticate(request);
        }
    }

    /**
     * Who the request comes from and whether the gateway would take an administrative change
     * from it; for the console, which shows action controls only to those who may use them.
     * The request has passed {@link #checkCanRead}.
     */
    public Session session(HttpServletRequest request)
    {
        if (passwords.isEmpty()) {
            boolean loopback = isLoopback(request.getRemoteAddr());
            return new Session(Optional.empty(), Optional.empty(), loopback, loopback ? Optional.empty() :
                    Optional.of("Administrative changes are accepted only from the gateway's own host (loopback) while no authenticator is configured"));
        }
        Authenticated user = authenticate(request);
        boolean admin = user.role() == Role.ADMIN;
        return new Session(Optional.of(user.name()), Optional.of(user.role().name().toLowerCase(ENGLISH)), admin, admin ? Optional.empty() :
                Optional.of("User " + user.name() + " may read but not change the gateway's configuration: the admin role is needed"));
    }

    public record Session(Optional<String> user, Optional<String> role, boolean canWrite, Optional<String> writeRefusal) {}

    private record Authenticated(String name, Role role) {}

    private Authenticated authenticate(HttpServletRequest request)
    {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw unauthorized(request, "Authentication required: use HTTP Basic with a user of the gateway's password file");
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()), UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw unauthorized(request, "Malformed Basic credentials");
        }
        int colon = credentials.indexOf(':');
        if (colon < 1) {
            throw unauthorized(request, "Malformed Basic credentials");
        }
        String user = credentials.substring(0, colon);
        Role role = passwords.orElseThrow().authenticate(user, credentials.substring(colon + 1))
                .orElseThrow(() -> unauthorized(request, "Invalid user or password"));
        return new Authenticated(user, role);
    }

    private static void checkSameOrigin(HttpServletRequest request)
    {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none")) {
            throw crossSite("Sec-Fetch-Site: " + fetchSite);
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            String host = request.getHeader("Host");
            if (host == null || !origin.equalsIgnoreCase(request.getScheme() + "://" + host)) {
                throw crossSite("Origin: " + origin);
            }
        }
    }

    private static GatewayException crossSite(String header)
    {
        return new GatewayException(FORBIDDEN, "Administrative changes from a web page of another origin are refused (" + header +
                "); use the gateway's console or a client that is not a browser");
    }

    private static boolean isJson(String contentType)
    {
        try {
            MediaType type = MediaType.valueOf(contentType);
            return type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("json");
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isLoopback(String address)
    {
        try {
            return address != null && InetAddress.ofLiteral(address).isLoopbackAddress();
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static WebApplicationException unauthorized(HttpServletRequest request, String message)
    {
        Response.ResponseBuilder response = Response.status(UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", message));
        // a script asking (the console) shows its own sign-in form instead of the browser's dialog
        if (request.getHeader("X-Requested-With") == null) {
            response.header("WWW-Authenticate", "Basic realm=\"Switchboard\"");
        }
        return new WebApplicationException(message, response.build());
    }
}
