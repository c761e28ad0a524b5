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

import com.google.inject.Inject;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.switchboard.gateway.api.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;

import static io.switchboard.gateway.security.OidcCookies.LOGIN_COOKIE;
import static io.switchboard.gateway.security.OidcCookies.LOGIN_PATH;
import static io.switchboard.gateway.security.OidcCookies.SESSION_COOKIE;
import static io.switchboard.gateway.security.OidcCookies.SESSION_PATH;
import static jakarta.ws.rs.core.Response.Status.FORBIDDEN;
import static jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE;
import static jakarta.ws.rs.core.Response.Status.UNAUTHORIZED;
import static java.util.Objects.requireNonNull;

/**
 * Single sign-on for the console: the authorization code flow with PKCE. {@code login} sends the
 * browser to the provider with a fresh state, nonce and code challenge, kept in an encrypted
 * cookie; {@code callback} checks the state, redeems the code, checks the ID token (with its
 * nonce) and sets the session cookie the console's API calls then carry.
 */
@Path(LOGIN_PATH)
public class OidcResource
{
    private static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(10);
    private static final String CONSOLE = "/console";

    private final OidcProvider provider;
    private final OidcCookies cookies;

    @Inject
    public OidcResource(OidcProvider provider, OidcCookies cookies)
    {
        this.provider = requireNonNull(provider, "provider is null");
        this.cookies = requireNonNull(cookies, "cookies is null");
    }

    @GET
    @Path("login")
    public Response login(@Context HttpServletRequest request)
    {
        String redirectUri = provider.config().getRedirectUri().orElseGet(() -> request.getScheme() + "://" + request.getHeader("Host") + LOGIN_PATH + "/callback");
        OidcCookies.LoginState login = new OidcCookies.LoginState(new State().getValue(), new Nonce().getValue(), new CodeVerifier().getValue(), redirectUri);
        URI authorization;
        try {
            authorization = provider.authorizationUri(login);
        }
        catch (GatewayException e) {
            return page(SERVICE_UNAVAILABLE, e.getMessage());
        }
        return Response.seeOther(authorization)
                .header("Set-Cookie", cookie(request, LOGIN_COOKIE, cookies.login(login, LOGIN_TIMEOUT), LOGIN_PATH, LOGIN_TIMEOUT.toSeconds()))
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("callback")
    public Response callback(
            @Context HttpServletRequest request,
            @QueryParam("code") String code,
            @QueryParam("state") String state,
            @QueryParam("error") String error,
            @QueryParam("error_description") String errorDescription)
    {
        OidcCookies.LoginState login = cookies.login(request).orElse(null);
        if (login == null) {
            return page(UNAUTHORIZED, "This sign-in was started more than " + LOGIN_TIMEOUT.toMinutes() + " minutes ago or in another browser: sign in again from the console");
        }
        if (state == null || !state.equals(login.state())) {
            return page(UNAUTHORIZED, "The sign-in's state does not match the one this browser started: sign in again from the console");
        }
        if (error != null) {
            return page(UNAUTHORIZED, "The provider refused the sign-in: " + error + (errorDescription == null ? "" : " (" + errorDescription + ")"));
        }
        if (code == null) {
            return page(UNAUTHORIZED, "The provider sent no authorization code");
        }
        AuthenticatedUser user;
        try {
            user = provider.user(provider.signIn(code, login), AuthenticatedUser.Method.SINGLE_SIGN_ON);
        }
        catch (OidcProvider.InvalidTokenException e) {
            return page(UNAUTHORIZED, e.getMessage());
        }
        catch (GatewayException e) {
            return page(e.reason() == GatewayException.Reason.FORBIDDEN ? FORBIDDEN : SERVICE_UNAVAILABLE, e.getMessage());
        }
        return Response.seeOther(URI.create(CONSOLE))
                .header("Set-Cookie", cookie(request, SESSION_COOKIE, cookies.session(user), SESSION_PATH, cookies.sessionTimeout().toSeconds()))
                .header("Set-Cookie", cookie(request, LOGIN_COOKIE, "", LOGIN_PATH, 0))
                .header("Cache-Control", "no-store")
                .build();
    }

    /**
     * Ends the console's session at the gateway (not at the provider, whose own session may sign
     * the user in again without asking).
     */
    @POST
    @Path("logout")
    public Response logout(@Context HttpServletRequest request)
    {
        return Response.noContent()
                .header("Set-Cookie", cookie(request, SESSION_COOKIE, "", SESSION_PATH, 0))
                .build();
    }

    private static String cookie(HttpServletRequest request, String name, String value, String path, long maxAgeSeconds)
    {
        // Lax: sent when the provider redirects back (a top-level GET), never with a write from another site
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax" + (isSecure(request) ? "; Secure" : "");
    }

    private static boolean isSecure(HttpServletRequest request)
    {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }

    private static Response page(Response.Status status, String message)
    {
        return Response.status(status)
                .type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                .entity(message + "\n")
                // the message may quote the provider's error_description: never rendered as anything but text
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store")
                .build();
    }
}
