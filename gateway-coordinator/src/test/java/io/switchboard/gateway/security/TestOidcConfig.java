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

import com.google.common.collect.ImmutableMap;
import io.airlift.units.Duration;
import jakarta.validation.constraints.AssertTrue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestOidcConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(OidcConfig.class)
                .setIssuer(null)
                .setClientId(null)
                .setClientSecret(null)
                .setScopes(List.of("openid", "profile", "email"))
                .setAudience(null)
                .setPrincipalClaim("sub")
                .setRolesClaim("groups")
                .setAdminValues(List.of())
                .setViewerValues(List.of())
                .setRedirectUri(null)
                .setSessionSecret(null)
                .setSessionTimeout(new Duration(1, HOURS))
                .setClockSkew(new Duration(30, SECONDS))
                .setJwksCacheTtl(new Duration(5, MINUTES)));
    }

    @Test
    void explicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("security.oidc.issuer", "https://keycloak.example.com/realms/data")
                .put("security.oidc.client-id", "switchboard")
                .put("security.oidc.client-secret", "client-secret")
                .put("security.oidc.scopes", "openid,groups")
                .put("security.oidc.audience", "switchboard-api")
                .put("security.oidc.principal-claim", "preferred_username")
                .put("security.oidc.roles-claim", "realm_access.roles")
                .put("security.oidc.admin-values", "trino-admins,platform")
                .put("security.oidc.viewer-values", "analysts")
                .put("security.oidc.redirect-uri", "https://gateway.example.com/console/oidc/callback")
                .put("security.oidc.session-secret", "0123456789abcdef0123456789abcdef")
                .put("security.oidc.session-timeout", "8h")
                .put("security.oidc.clock-skew", "10s")
                .put("security.oidc.jwks-cache-ttl", "1m")
                .buildOrThrow();
        assertFullMapping(properties, new OidcConfig()
                .setIssuer("https://keycloak.example.com/realms/data")
                .setClientId("switchboard")
                .setClientSecret("client-secret")
                .setScopes(List.of("openid", "groups"))
                .setAudience("switchboard-api")
                .setPrincipalClaim("preferred_username")
                .setRolesClaim("realm_access.roles")
                .setAdminValues(List.of("trino-admins", "platform"))
                .setViewerValues(List.of("analysts"))
                .setRedirectUri("https://gateway.example.com/console/oidc/callback")
                .setSessionSecret("0123456789abcdef0123456789abcdef")
                .setSessionTimeout(new Duration(8, HOURS))
                .setClockSkew(new Duration(10, SECONDS))
                .setJwksCacheTtl(new Duration(1, MINUTES)));
    }

    @Test
    void validation()
    {
        assertFailsValidation(new OidcConfig().setIssuer("https://keycloak.example.com/realms/data"),
                "clientIdConfigured", "security.oidc.client-id is required with security.oidc.issuer", AssertTrue.class);
        assertFailsValidation(new OidcConfig().setSessionSecret("short"),
                "sessionSecretLongEnough", "security.oidc.session-secret must be at least 32 characters", AssertTrue.class);
    }
}
