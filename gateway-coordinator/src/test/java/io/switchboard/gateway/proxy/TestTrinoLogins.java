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
package io.switchboard.gateway.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.DesiredState;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class TestTrinoLogins
{
    private static final String HASH = "420ee368c78f8de3b649a826040b752bd07d190979586aa831f9fabff8e9720e";

    private final TrinoLogins logins = new TrinoLogins(new ObjectMapper());

    @Test
    void theCallbackOfAnExternalAuthenticationCarriesItsKeyInTheState()
    {
        String state = jwt("{\"aud\":[\"trino_oauth_ui\"],\"handler_state\":\"" + HASH + "\",\"exp\":1893456000}");
        assertThat(logins.callbackAuthIdHash("code=abc&state=" + URLEncoder.encode(state, UTF_8))).contains(HASH);
        assertThat(logins.callbackAuthIdHash("state=" + state + "&code=abc")).contains(HASH);
    }

    @Test
    void aWebUiCallbackHasNoKey()
    {
        assertThat(logins.callbackAuthIdHash("code=abc&state=" + jwt("{\"aud\":[\"trino_oauth_ui\"],\"exp\":1893456000}"))).isEmpty();
        assertThat(logins.callbackAuthIdHash("code=abc")).isEmpty();
        assertThat(logins.callbackAuthIdHash(null)).isEmpty();
    }

    @Test
    void aMalformedStateHasNoKey()
    {
        assertThat(logins.callbackAuthIdHash("state=not-a-jwt")).isEmpty();
        assertThat(logins.callbackAuthIdHash("state=a.%%%.c")).isEmpty();
        assertThat(logins.callbackAuthIdHash("state=" + jwt("[1,2]"))).isEmpty();
        assertThat(logins.callbackAuthIdHash("state=" + jwt("{\"handler_state\":\"../../x\"}"))).isEmpty();
        assertThat(logins.callbackAuthIdHash("state=" + jwt("{\"handler_state\":{\"a\":1}}"))).isEmpty();
        assertThat(logins.callbackAuthIdHash("state=" + "a".repeat(20_000))).isEmpty();
    }

    @Test
    void aLoginStaysOnItsClusterWhenAnotherClusterComesOrGoes()
    {
        List<Cluster> three = List.of(cluster("a"), cluster("b"), cluster("c"));
        Map<String, Integer> counts = new HashMap<>();
        List<String> keys = IntStream.range(0, 600).mapToObj(i -> Integer.toHexString(i * 7919)).toList();
        for (String key : keys) {
            String chosen = TrinoLogins.loginCluster(key, three).orElseThrow().name();
            counts.merge(chosen, 1, Integer::sum);
            // the same on every call and every gateway replica
            assertThat(TrinoLogins.loginCluster(key, List.of(three.get(2), three.get(0), three.get(1))).orElseThrow().name()).isEqualTo(chosen);
            // without c, only c's logins move
            List<Cluster> withoutC = List.of(cluster("a"), cluster("b"));
            if (!chosen.equals("c")) {
                assertThat(TrinoLogins.loginCluster(key, withoutC).orElseThrow().name()).isEqualTo(chosen);
            }
        }
        // spread over all clusters
        assertThat(counts).containsOnlyKeys("a", "b", "c");
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isBetween(140, 260));
        assertThat(TrinoLogins.loginCluster(HASH, List.of())).isEqualTo(Optional.empty());
    }

    @Test
    void theUiCookieKeepsTheBrowserOnItsCluster()
    {
        assertThat(TrinoLogins.uiClusterCookie("adhoc-1", true)).isEqualTo("Switchboard-Trino-UI=adhoc-1; Path=/; HttpOnly; SameSite=Lax; Secure");
        assertThat(TrinoLogins.uiClusterCookie("adhoc-1", false)).isEqualTo("Switchboard-Trino-UI=adhoc-1; Path=/; HttpOnly; SameSite=Lax");
    }

    private static Cluster cluster(String name)
    {
        return new Cluster(name, URI.create("http://127.0.0.1:8080"), URI.create("http://127.0.0.1:8080"), "adhoc", true, DesiredState.ACTIVE, 1, ClusterKind.TRINO);
    }

    private static String jwt(String claims)
    {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"HS256\"}".getBytes(UTF_8)) + "." + encoder.encodeToString(claims.getBytes(UTF_8)) + ".c2ln";
    }
}
