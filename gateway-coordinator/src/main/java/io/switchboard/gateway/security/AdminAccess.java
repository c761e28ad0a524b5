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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.switchboard.gateway.api.GatewayException.Reason.FORBIDDEN;
import static io.switchboard.gateway.api.GatewayException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static jakarta.ws.rs.core.Response.Status.UNAUTHORIZED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * Who may read and change the gateway's configuration. With {@code security.password-file}
 * or {@code security.oidc.issuer} set, the API needs authentication (HTTP Basic with a user of
 * the password file, a bearer JWT of the OpenID Connect provider, or the console's single
 * sign-on session cookie): viewers read, admins also write. Without either, reads are open and
 * administrative writes are accepted only from loopback addresses.
 * <p>
 * Whatever the authenticator, a write sent by a web page of another origin is refused: a
 * browser on the gateway's host (or one that remembers a Basic password) would otherwise carry
 * out a write for any page it shows. Browsers name the page's origin in {@code Origin} and
 * {@code Sec-Fetch-Site}; other clients send neither.
 */
public class AdminAccess
{
    private final Optional<PasswordFileAuthenticator> passwords;
    private final Optional<OidcProvider> oidc;
    private final Optional<OidcCookies> sessions;

    @Inject
    public AdminAccess(SecurityConfig config, Optional<OidcProvider> oidc, Optional<OidcCookies> sessions)
    {
        this.passwords = config.getPasswordFile().map(file -> new PasswordFileAuthenticator(
                Paths.get(file), config.getPasswordFileRefreshPeriod(), config.getPasswordCacheMaxSize(), Ticker.systemTicker()));
        this.oidc = requireNonNull(oidc, "oidc is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    private boolean authenticationConfigured()
    {
        return passwords.isPresent() || oidc.isPresent();
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
        if (!authenticationConfigured()) {
            String remote = request.getRemoteAddr();
            if (!isLoopback(remote)) {
                throw new GatewayException(FORBIDDEN, "Administrative changes are accepted only from the gateway's own host (loopback) " +
                        "while no authenticator is configured (security.password-file or security.oidc.issuer); request came from " + remote);
            }
            return "anonymous";
        }
        AuthenticatedUser user = authenticate(request);
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
        if (authenticationConfigured()) {
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
        if (!authenticationConfigured()) {
            boolean loopback = isLoopback(request.getRemoteAddr());
            return new Session(Optional.empty(), Optional.empty(), loopback, loopback ? Optional.empty() :
                    Optional.of("Administrative changes are accepted only from the gateway's own host (loopback) while no authenticator is configured"), Optional.empty());
        }
        AuthenticatedUser user = authenticate(request);
        boolean admin = user.role() == Role.ADMIN;
        return new Session(Optional.of(user.name()), Optional.of(user.role().name().toLowerCase(ENGLISH)), admin, admin ? Optional.empty() :
                Optional.of("User " + user.name() + " may read but not change the gateway's configuration: the admin role is needed"),
                Optional.of(user.method().name().toLowerCase(ENGLISH).replace('_', '-')));
    }

    /**
     * @param signedInWith password, bearer-token or single-sign-on
     */
    public record Session(Optional<String> user, Optional<String> role, boolean canWrite, Optional<String> writeRefusal, Optional<String> signedInWith) {}

    private AuthenticatedUser authenticate(HttpServletRequest request)
    {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && oidc.isPresent()) {
            return authenticateBearer(request, header.substring(7).trim());
        }
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6) || passwords.isEmpty()) {
            Optional<AuthenticatedUser> session = sessions.flatMap(cookies -> cookies.session(request));
            if (session.isPresent()) {
                return session.get();
            }
            if (sessions.isPresent() && sessions.get().hasSessionCookie(request)) {
                throw unauthorized(request, "The console's sign-in expired or is no longer valid: sign in again");
            }
            throw unauthorized(request, "Authentication required: " + accepted());
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
        return new AuthenticatedUser(user, role, AuthenticatedUser.Method.PASSWORD);
    }

    private AuthenticatedUser authenticateBearer(HttpServletRequest request, String token)
    {
        OidcProvider provider = oidc.orElseThrow();
        try {
            return provider.user(provider.validateBearer(token), AuthenticatedUser.Method.BEARER_TOKEN);
        }
        catch (OidcProvider.InvalidTokenException e) {
            throw unauthorized(request, e.getMessage());
        }
    }

    private String accepted()
    {
        if (passwords.isPresent() && oidc.isPresent()) {
            return "use HTTP Basic with a user of the gateway's password file, a bearer token of " + oidc.get().issuer() + ", or sign in to the console";
        }
        if (oidc.isPresent()) {
            return "use a bearer token of " + oidc.get().issuer() + ", or sign in to the console";
        }
        return "use HTTP Basic with a user of the gateway's password file";
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

    private WebApplicationException unauthorized(HttpServletRequest request, String message)
    {
        // what the console offers on its sign-in form
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("passwordSignIn", passwords.isPresent());
        if (oidc.isPresent()) {
            body.put("signInUrl", OidcCookies.LOGIN_PATH + "/login");
        }
        Response.ResponseBuilder response = Response.status(UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body);
        // a script asking (the console) shows its own sign-in form instead of the browser's dialog
        if (request.getHeader("X-Requested-With") == null) {
            if (passwords.isPresent()) {
                response.header("WWW-Authenticate", "Basic realm=\"Switchboard\"");
            }
            if (oidc.isPresent()) {
                response.header("WWW-Authenticate", "Bearer realm=\"Switchboard\"" + (isBearer(request) ? ", error=\"invalid_token\"" : ""));
            }
        }
        return new WebApplicationException(message, response.build());
    }

    private static boolean isBearer(HttpServletRequest request)
    {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }
}
