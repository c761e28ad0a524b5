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

import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.gateway.api.GatewayException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.switchboard.gateway.security.AuthenticatedUser.Method.BEARER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Roles from the claims of the common providers' tokens (no provider needed: the claims are
 * looked at after the token is validated).
 */
final class TestOidcRoles
{
    @Test
    void keycloakRealmRolesInANestedClaim()
    {
        OidcProvider provider = provider(new OidcConfig()
                .setPrincipalClaim("preferred_username")
                .setRolesClaim("realm_access.roles")
                .setAdminValues(List.of("trino-admins"))
                .setViewerValues(List.of("trino-users")));
        assertThat(provider.user(claims(Map.of("preferred_username", "alice", "realm_access", Map.of("roles", List.of("offline_access", "trino-admins")))), BEARER_TOKEN))
                .isEqualTo(new AuthenticatedUser("alice", Role.ADMIN, BEARER_TOKEN));
        assertThat(provider.user(claims(Map.of("preferred_username", "victor", "realm_access", Map.of("roles", List.of("trino-users")))), BEARER_TOKEN))
                .isEqualTo(new AuthenticatedUser("victor", Role.VIEWER, BEARER_TOKEN));
        assertThatThrownBy(() -> provider.user(claims(Map.of("preferred_username", "mallory")), BEARER_TOKEN))
                .isInstanceOf(GatewayException.class)
                .hasMessage("User mallory has no role in the gateway: claim realm_access.roles holds none of [trino-users, trino-admins]");
    }

    @Test
    void aSpaceSeparatedClaimAndEveryoneAViewer()
    {
        OidcProvider provider = provider(new OidcConfig()
                .setRolesClaim("scp")
                .setAdminValues(List.of("switchboard.admin")));
        assertThat(provider.user(claims(Map.of("sub", "api-client", "scp", "openid switchboard.admin")), BEARER_TOKEN).role()).isEqualTo(Role.ADMIN);
        // with no viewer-values, any user the provider vouches for may read
        assertThat(provider.user(claims(Map.of("sub", "someone")), BEARER_TOKEN).role()).isEqualTo(Role.VIEWER);
        assertThatThrownBy(() -> provider.user(claims(Map.of("scp", "switchboard.admin")), BEARER_TOKEN))
                .isInstanceOf(OidcProvider.InvalidTokenException.class)
                .hasMessage("The token has no claim sub (security.oidc.principal-claim) naming the user");
    }

    private static OidcProvider provider(OidcConfig config)
    {
        return new OidcProvider(config.setIssuer("https://provider.example.com").setClientId("switchboard"));
    }

    private static JWTClaimsSet claims(Map<String, Object> claims)
    {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims.forEach(builder::claim);
        return builder.build();
    }
}
