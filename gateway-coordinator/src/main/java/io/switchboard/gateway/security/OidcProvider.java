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
import com.google.common.collect.ImmutableSet;
import com.google.inject.Inject;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.switchboard.gateway.api.GatewayException;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.switchboard.gateway.api.GatewayException.Reason.FORBIDDEN;
import static io.switchboard.gateway.api.GatewayException.Reason.UNAVAILABLE;
import static java.lang.Math.toIntExact;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * The OpenID Connect provider as the gateway sees it: its metadata (discovered once it answers),
 * its signing keys (cached, read again when a token names a key not seen yet, so keys the provider
 * rotates in are accepted), the validation of bearer tokens, and the roles claims give.
 */
public class OidcProvider
{
    // asymmetric algorithms only: a token signed with a shared secret proves nothing about its issuer
    private static final Set<JWSAlgorithm> ALGORITHMS = ImmutableSet.<JWSAlgorithm>builder()
            .addAll(JWSAlgorithm.Family.RSA)
            .addAll(JWSAlgorithm.Family.EC)
            .build();
    private static final int TIMEOUT_MILLIS = 10_000;

    private final OidcConfig config;
    private final String issuer;
    private final String audience;
    private final long clockSkewSeconds;
    private volatile Discovered discovered;

    record Discovered(OIDCProviderMetadata metadata, JWKSource<SecurityContext> keys, DefaultJWTProcessor<SecurityContext> bearerProcessor) {}

    /**
     * A token or sign-in the gateway refuses; the message is for the user and names no secret.
     */
    public static class InvalidTokenException
            extends RuntimeException
    {
        public InvalidTokenException(String message)
        {
            super(requireNonNull(message, "message is null"));
        }
    }

    @Inject
    public OidcProvider(OidcConfig config)
    {
        this.config = requireNonNull(config, "config is null");
        this.issuer = config.getIssuer().orElseThrow(() -> new IllegalArgumentException("security.oidc.issuer is not set"));
        this.audience = config.getAudience().orElseGet(() -> config.getClientId().orElseThrow());
        this.clockSkewSeconds = config.getClockSkew().roundTo(SECONDS);
    }

    public OidcConfig config()
    {
        return config;
    }

    public String issuer()
    {
        return issuer;
    }

    public long clockSkewSeconds()
    {
        return clockSkewSeconds;
    }

    /**
     * The provider's metadata and keys, read at the first use that finds the provider answering:
     * the gateway starts, and serves password users, while the provider is down.
     */
    Discovered discovered()
    {
        Discovered current = discovered;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (discovered == null) {
                discovered = discover();
            }
            return discovered;
        }
    }

    private Discovered discover()
    {
        OIDCProviderMetadata metadata;
        try {
            // checks that the document names this issuer
            metadata = OIDCProviderMetadata.resolve(new Issuer(issuer), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
        }
        catch (GeneralException | IOException | RuntimeException e) {
            throw new GatewayException(UNAVAILABLE, "Cannot read the OpenID Connect provider's configuration from " + issuer + "/.well-known/openid-configuration: " + e.getMessage());
        }
        if (metadata.getJWKSetURI() == null) {
            throw new GatewayException(UNAVAILABLE, "The OpenID Connect provider " + issuer + " publishes no jwks_uri");
        }
        JWKSource<SecurityContext> keys;
        try {
            long ttl = config.getJwksCacheTtl().toMillis();
            keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL(), new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, 1024 * 1024))
                    .cache(ttl, TIMEOUT_MILLIS)
                    .build();
        }
        catch (MalformedURLException e) {
            throw new GatewayException(UNAVAILABLE, "The OpenID Connect provider's jwks_uri is not a URL: " + metadata.getJWKSetURI());
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // access tokens of Keycloak, Okta, Entra ID and RFC 9068 (at+jwt)
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        processor.setJWTClaimsSetVerifier((claims, context) -> verifyTimesAndAudience(claims));
        return new Discovered(metadata, keys, processor);
    }

    /**
     * @return the claims of a bearer token that this provider signed for this gateway and that is valid now
     */
    public JWTClaimsSet validateBearer(String token)
    {
        SignedJWT jwt;
        String tokenIssuer;
        try {
            jwt = SignedJWT.parse(token);
            tokenIssuer = jwt.getJWTClaimsSet().getIssuer();
        }
        catch (ParseException e) {
            throw new InvalidTokenException("The bearer token is not a signed JWT");
        }
        // before the signature: a token of another provider is signed by a key this one does not publish
        if (!issuer.equals(tokenIssuer)) {
            throw new InvalidTokenException("The bearer token was issued by " + (tokenIssuer == null ? "no issuer" : tokenIssuer) + ", not by " + issuer);
        }
        try {
            return discovered().bearerProcessor().process(jwt, null);
        }
        catch (BadJWSException e) {
            throw new InvalidTokenException("The bearer token's signature does not verify with the keys of " + issuer);
        }
        catch (BadJWTException e) {
            throw new InvalidTokenException(e.getMessage());
        }
        catch (KeySourceException e) {
            throw new GatewayException(UNAVAILABLE, "Cannot read the signing keys of " + issuer + ": " + e.getMessage());
        }
        catch (BadJOSEException e) {
            throw new InvalidTokenException("The bearer token is refused: " + e.getMessage());
        }
        catch (JOSEException e) {
            throw new InvalidTokenException("The bearer token cannot be verified: " + e.getMessage());
        }
    }

    /**
     * The second half of a console sign-in: trades the provider's code for tokens (with the PKCE
     * verifier, and the client secret of a confidential client) and validates the ID token.
     *
     * @return the ID token's claims
     */
    public JWTClaimsSet signIn(String code, OidcCookies.LoginState login)
    {
        Discovered provider = discovered();
        ClientID clientId = new ClientID(config.getClientId().orElseThrow());
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(login.redirectUri()), new CodeVerifier(login.codeVerifier()));
        URI tokenEndpoint = provider.metadata().getTokenEndpointURI();
        TokenRequest request = config.getClientSecret()
                .map(secret -> new TokenRequest(tokenEndpoint, new ClientSecretBasic(clientId, new Secret(secret)), grant))
                .orElseGet(() -> new TokenRequest(tokenEndpoint, clientId, grant));
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(TIMEOUT_MILLIS);
            http.setReadTimeout(TIMEOUT_MILLIS);
            response = OIDCTokenResponseParser.parse(http.send());
        }
        catch (IOException | com.nimbusds.oauth2.sdk.ParseException e) {
            throw new GatewayException(UNAVAILABLE, "Cannot redeem the sign-in at the provider's token endpoint " + tokenEndpoint + ": " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new InvalidTokenException("The provider refused to redeem the sign-in: " + error.getCode() +
                    (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new InvalidTokenException("The provider returned no ID token: is openid among security.oidc.scopes?");
        }
        IDTokenValidator validator = new IDTokenValidator(new Issuer(issuer), clientId, new JWSVerificationKeySelector<>(ALGORITHMS, provider.keys()), null);
        validator.setMaxClockSkew(toIntExact(clockSkewSeconds));
        try {
            return validator.validate(idToken, new Nonce(login.nonce())).toJWTClaimsSet();
        }
        catch (BadJOSEException e) {
            throw new InvalidTokenException("The provider's ID token is refused: " + e.getMessage());
        }
        catch (JOSEException | com.nimbusds.oauth2.sdk.ParseException e) {
            throw new InvalidTokenException("The provider's ID token cannot be verified: " + e.getMessage());
        }
    }

    /**
     * Where the browser is sent to sign in.
     */
    public URI authorizationUri(OidcCookies.LoginState login)
    {
        Scope scope = new Scope("openid");
        config.getScopes().forEach(scope::add);
        return new AuthenticationRequest.Builder(ResponseType.CODE, scope, new ClientID(config.getClientId().orElseThrow()), URI.create(login.redirectUri()))
                .endpointURI(discovered().metadata().getAuthorizationEndpointURI())
                .state(new State(login.state()))
                .nonce(new Nonce(login.nonce()))
                .codeChallenge(new CodeVerifier(login.codeVerifier()), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    private void verifyTimesAndAudience(JWTClaimsSet claims)
            throws BadJWTException
    {
        Instant now = Instant.now();
        Date expiration = claims.getExpirationTime();
        if (expiration == null) {
            throw new BadJWTException("The bearer token has no expiration time (exp)");
        }
        if (expiration.toInstant().plusSeconds(clockSkewSeconds).isBefore(now)) {
            throw new BadJWTException("The bearer token expired at " + expiration.toInstant());
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().minusSeconds(clockSkewSeconds).isAfter(now)) {
            throw new BadJWTException("The bearer token is not valid before " + notBefore.toInstant());
        }
        List<String> audiences = claims.getAudience();
        if (!audiences.contains(audience)) {
            throw new BadJWTException("The bearer token is for audience " + audiences + ", not for " + audience + " (security.oidc.audience)");
        }
    }

    /**
     * The user the claims name and the role they give.
     *
     * @throws GatewayException FORBIDDEN when the claims give no role
     */
    public AuthenticatedUser user(JWTClaimsSet claims, AuthenticatedUser.Method method)
    {
        Object principal = claim(claims, config.getPrincipalClaim());
        if (!(principal instanceof String name) || name.isEmpty()) {
            throw new InvalidTokenException("The token has no claim " + config.getPrincipalClaim() + " (security.oidc.principal-claim) naming the user");
        }
        Set<String> roles = roles(claim(claims, config.getRolesClaim()));
        if (config.getAdminValues().stream().anyMatch(roles::contains)) {
            return new AuthenticatedUser(name, Role.ADMIN, method);
        }
        if (config.getViewerValues().isEmpty() || config.getViewerValues().stream().anyMatch(roles::contains)) {
            return new AuthenticatedUser(name, Role.VIEWER, method);
        }
        throw new GatewayException(FORBIDDEN, "User " + name + " has no role in the gateway: claim " + config.getRolesClaim() + " holds none of " +
                ImmutableList.builder().addAll(config.getViewerValues()).addAll(config.getAdminValues()).build());
    }

    private static Object claim(JWTClaimsSet claims, String path)
    {
        Object value = claims.getClaim(path);
        if (value != null || !path.contains(".")) {
            return value;
        }
        // Keycloak's realm_access.roles: a claim inside an object claim
        Object current = claims.toJSONObject();
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> object)) {
                return null;
            }
            current = object.get(part);
        }
        return current;
    }

    private static Set<String> roles(Object value)
    {
        return switch (value) {
            case null -> Set.of();
            case String text -> Set.of(text.trim().split("\\s+"));
            case Collection<?> values -> values.stream().filter(String.class::isInstance).map(String.class::cast).collect(toImmutableSet());
            default -> Set.of();
        };
    }
}
