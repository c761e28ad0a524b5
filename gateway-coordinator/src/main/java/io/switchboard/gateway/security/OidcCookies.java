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

import com.google.common.hash.Hashing;
import com.google.inject.Inject;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The cookies of single sign-on: the console's session and the state of a sign-in under way.
 * Their content is encrypted and authenticated (JWE, AES-256-GCM) with a key only the gateway
 * holds, so a browser can neither read nor forge them. The session names the user and the role
 * the provider gave at sign-in; the gateway keeps no session of its own, so any replica with the
 * same {@code security.oidc.session-secret} serves it.
 */
public class OidcCookies
{
    public static final String SESSION_COOKIE = "switchboard_session";
    public static final String LOGIN_COOKIE = "switchboard_oidc_login";
    static final String LOGIN_PATH = "/console/oidc";
    // the console's API calls only: a session cookie sent on /ui or /v1 would be proxied to the clusters
    static final String SESSION_PATH = "/api/";

    private static final String PURPOSE = "purpose";

    private final byte[] key;
    private final Duration sessionTimeout;

    public record LoginState(String state, String nonce, String codeVerifier, String redirectUri) {}

    @Inject
    public OidcCookies(OidcConfig config)
    {
        this.key = config.getSessionSecret()
                .map(secret -> Hashing.sha256().hashString(secret, UTF_8).asBytes())
                .orElseGet(() -> {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    return random;
                });
        this.sessionTimeout = config.getSessionTimeout().toJavaTime();
    }

    public Duration sessionTimeout()
    {
        return sessionTimeout;
    }

    public String session(AuthenticatedUser user)
    {
        return encrypt(new JWTClaimsSet.Builder()
                .claim(PURPOSE, "session")
                .subject(user.name())
                .claim("role", user.role().name())
                .expirationTime(Date.from(Instant.now().plus(sessionTimeout)))
                .build());
    }

    public Optional<AuthenticatedUser> session(HttpServletRequest request)
    {
        return cookie(request, SESSION_COOKIE)
                .flatMap(value -> decrypt(value, "session"))
                .flatMap(claims -> {
                    try {
                        return Optional.of(new AuthenticatedUser(claims.getSubject(), Role.valueOf(claims.getStringClaim("role")), AuthenticatedUser.Method.SINGLE_SIGN_ON));
                    }
                    catch (ParseException | RuntimeException e) {
                        return Optional.empty();
                    }
                });
    }

    public boolean hasSessionCookie(HttpServletRequest request)
    {
        return cookie(request, SESSION_COOKIE).isPresent();
    }

    public String login(LoginState login, Duration timeout)
    {
        return encrypt(new JWTClaimsSet.Builder()
                .claim(PURPOSE, "login")
                .claim("state", login.state())
                .claim("nonce", login.nonce())
                .claim("verifier", login.codeVerifier())
                .claim("redirect", login.redirectUri())
                .expirationTime(Date.from(Instant.now().plus(timeout)))
                .build());
    }

    public Optional<LoginState> login(HttpServletRequest request)
    {
        return cookie(request, LOGIN_COOKIE)
                .flatMap(value -> decrypt(value, "login"))
                .flatMap(claims -> {
                    try {
                        return Optional.of(new LoginState(claims.getStringClaim("state"), claims.getStringClaim("nonce"), claims.getStringClaim("verifier"), claims.getStringClaim("redirect")));
                    }
                    catch (ParseException | RuntimeException e) {
                        return Optional.empty();
                    }
                });
    }

    private String encrypt(JWTClaimsSet claims)
    {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims);
        try {
            jwt.encrypt(new DirectEncrypter(key));
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Cannot encrypt a cookie", e);
        }
        return jwt.serialize();
    }

    // empty for a cookie that is not one of ours, was changed, was made with another secret, or expired
    private Optional<JWTClaimsSet> decrypt(String value, String purpose)
    {
        try {
            EncryptedJWT jwt = EncryptedJWT.parse(value);
            if (!JWEAlgorithm.DIR.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            jwt.decrypt(new DirectDecrypter(key));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expiration = claims.getExpirationTime();
            if (!purpose.equals(claims.getStringClaim(PURPOSE)) || expiration == null || expiration.toInstant().isBefore(Instant.now())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        }
        catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> cookie(HttpServletRequest request, String name)
    {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(name)) {
                return Optional.ofNullable(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
