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

import com.google.common.collect.ImmutableList;
import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Optional;

import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * OpenID Connect: single sign-on for the console (authorization code flow with PKCE) and bearer
 * JWTs for the API, both from one provider. Off unless {@code security.oidc.issuer} is set.
 */
public class OidcConfig
{
    private String issuer;
    private String clientId;
    private String clientSecret;
    private List<String> scopes = ImmutableList.of("openid", "profile", "email");
    private String audience;
    private String principalClaim = "sub";
    private String rolesClaim = "groups";
    private List<String> adminValues = ImmutableList.of();
    private List<String> viewerValues = ImmutableList.of();
    private String redirectUri;
    private String sessionSecret;
    private Duration sessionTimeout = new Duration(1, HOURS);
    private Duration clockSkew = new Duration(30, SECONDS);
    private Duration jwksCacheTtl = new Duration(5, MINUTES);

    public Optional<String> getIssuer()
    {
        return Optional.ofNullable(issuer);
    }

    @Config("security.oidc.issuer")
    @ConfigDescription("Issuer URL of the OpenID Connect provider (its /.well-known/openid-configuration is read); enables single sign-on and bearer tokens")
    public OidcConfig setIssuer(String issuer)
    {
        this.issuer = issuer;
        return this;
    }

    public Optional<String> getClientId()
    {
        return Optional.ofNullable(clientId);
    }

    @Config("security.oidc.client-id")
    @ConfigDescription("Client id of the gateway at the provider")
    public OidcConfig setClientId(String clientId)
    {
        this.clientId = clientId;
        return this;
    }

    public Optional<String> getClientSecret()
    {
        return Optional.ofNullable(clientSecret);
    }

    @Config("security.oidc.client-secret")
    @ConfigSecuritySensitive
    @ConfigDescription("Client secret of a confidential client (sent with HTTP Basic to the token endpoint); unset for a public client, which relies on PKCE")
    public OidcConfig setClientSecret(String clientSecret)
    {
        this.clientSecret = clientSecret;
        return this;
    }

    @NotNull
    @Size(min = 1)
    public List<String> getScopes()
    {
        return scopes;
    }

    @Config("security.oidc.scopes")
    @ConfigDescription("Scopes asked for at sign-in (openid is always added)")
    public OidcConfig setScopes(List<String> scopes)
    {
        this.scopes = ImmutableList.copyOf(scopes);
        return this;
    }

    public Optional<String> getAudience()
    {
        return Optional.ofNullable(audience);
    }

    @Config("security.oidc.audience")
    @ConfigDescription("Audience (aud) a bearer token must name; the client id when unset")
    public OidcConfig setAudience(String audience)
    {
        this.audience = audience;
        return this;
    }

    @NotNull
    public String getPrincipalClaim()
    {
        return principalClaim;
    }

    @Config("security.oidc.principal-claim")
    @ConfigDescription("Claim that names the user (sub, preferred_username, email...)")
    public OidcConfig setPrincipalClaim(String principalClaim)
    {
        this.principalClaim = principalClaim;
        return this;
    }

    @NotNull
    public String getRolesClaim()
    {
        return rolesClaim;
    }

    @Config("security.oidc.roles-claim")
    @ConfigDescription("Claim holding the user's roles or groups, a list or a space-separated string; a dotted path reaches into objects (realm_access.roles)")
    public OidcConfig setRolesClaim(String rolesClaim)
    {
        this.rolesClaim = rolesClaim;
        return this;
    }

    @NotNull
    public List<String> getAdminValues()
    {
        return adminValues;
    }

    @Config("security.oidc.admin-values")
    @ConfigDescription("Values of the roles claim that make a user an admin (comma-separated)")
    public OidcConfig setAdminValues(List<String> adminValues)
    {
        this.adminValues = ImmutableList.copyOf(adminValues);
        return this;
    }

    @NotNull
    public List<String> getViewerValues()
    {
        return viewerValues;
    }

    @Config("security.oidc.viewer-values")
    @ConfigDescription("Values of the roles claim that make a user a viewer (comma-separated); when unset, every user the provider signs in may read")
    public OidcConfig setViewerValues(List<String> viewerValues)
    {
        this.viewerValues = ImmutableList.copyOf(viewerValues);
        return this;
    }

    public Optional<String> getRedirectUri()
    {
        return Optional.ofNullable(redirectUri);
    }

    @Config("security.oidc.redirect-uri")
    @ConfigDescription("Redirect URI registered at the provider (https://gateway.example.com/console/oidc/callback); derived from the request when unset")
    public OidcConfig setRedirectUri(String redirectUri)
    {
        this.redirectUri = redirectUri;
        return this;
    }

    public Optional<String> getSessionSecret()
    {
        return Optional.ofNullable(sessionSecret);
    }

    @Config("security.oidc.session-secret")
    @ConfigSecuritySensitive
    @ConfigDescription("Secret the console's session cookies are encrypted with, the same on every replica; a random one per start when unset (sessions end with a restart)")
    public OidcConfig setSessionSecret(String sessionSecret)
    {
        this.sessionSecret = sessionSecret;
        return this;
    }

    @NotNull
    @MinDuration("1m")
    @MaxDuration("7d")
    public Duration getSessionTimeout()
    {
        return sessionTimeout;
    }

    @Config("security.oidc.session-timeout")
    @ConfigDescription("How long a console sign-in lasts; roles changed at the provider apply at the next sign-in")
    public OidcConfig setSessionTimeout(Duration sessionTimeout)
    {
        this.sessionTimeout = sessionTimeout;
        return this;
    }

    @NotNull
    @MinDuration("0s")
    @MaxDuration("5m")
    public Duration getClockSkew()
    {
        return clockSkew;
    }

    @Config("security.oidc.clock-skew")
    @ConfigDescription("Tolerance for the provider's clock when checking exp, nbf and iat")
    public OidcConfig setClockSkew(Duration clockSkew)
    {
        this.clockSkew = clockSkew;
        return this;
    }

    @NotNull
    @MinDuration("10s")
    public Duration getJwksCacheTtl()
    {
        return jwksCacheTtl;
    }

    @Config("security.oidc.jwks-cache-ttl")
    @ConfigDescription("How long the provider's signing keys are kept before they are read again (a token signed by an unknown key makes them read at once)")
    public OidcConfig setJwksCacheTtl(Duration jwksCacheTtl)
    {
        this.jwksCacheTtl = jwksCacheTtl;
        return this;
    }

    @AssertTrue(message = "security.oidc.client-id is required with security.oidc.issuer")
    public boolean isClientIdConfigured()
    {
        return issuer == null || clientId != null;
    }

    @AssertTrue(message = "security.oidc.session-secret must be at least 32 characters")
    public boolean isSessionSecretLongEnough()
    {
        return sessionSecret == null || sessionSecret.length() >= 32;
    }
}
