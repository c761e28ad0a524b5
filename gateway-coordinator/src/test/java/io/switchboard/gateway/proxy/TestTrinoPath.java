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

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

final class TestTrinoPath
{
    private static final String PREFIX = "/cluster";

    @Test
    void prefixedPathsNameTheirCluster()
    {
        assertThat(parse("GET", "/cluster/adhoc-1/v1/statement/executing/20260101_000000_00001_abcde/y1/1", null))
                .isEqualTo(new TrinoPath.Prefixed("adhoc-1", "/v1/statement/executing/20260101_000000_00001_abcde/y1/1"));
        assertThat(parse("GET", "/cluster/adhoc-1", null)).isEqualTo(new TrinoPath.Prefixed("adhoc-1", "/"));
        assertThat(parse("GET", "/clusterx/v1/info", null)).isEqualTo(new TrinoPath.NotTrino());
    }

    @Test
    void onlyAPostToTheStatementResourceIsANewQuery()
    {
        assertThat(parse("POST", "/v1/statement", null)).isEqualTo(new TrinoPath.Submit());
        assertThat(parse("GET", "/v1/statement", null)).isEqualTo(new TrinoPath.AnyCluster());
    }

    @Test
    void queryIdsAreFoundWhereTrinoPutsThem()
    {
        String id = "20260101_000000_00001_abcde";
        assertThat(parse("GET", "/v1/statement/queued/" + id + "/y1/1", null)).isEqualTo(new TrinoPath.QueryPath(id));
        assertThat(parse("DELETE", "/v1/statement/executing/" + id + "/y1/1", null)).isEqualTo(new TrinoPath.QueryPath(id));
        assertThat(parse("GET", "/v1/query/" + id, null)).isEqualTo(new TrinoPath.QueryPath(id));
        assertThat(parse("PUT", "/v1/query/" + id + "/killed", null)).isEqualTo(new TrinoPath.QueryPath(id));
        assertThat(parse("GET", "/ui/api/query/" + id, null)).isEqualTo(new TrinoPath.QueryPath(id));
        assertThat(parse("GET", "/ui/query.html", id)).isEqualTo(new TrinoPath.QueryPath(id));
    }

    @Test
    void theGatewaysOwnQueueIsNeverACluster()
    {
        assertThat(parse("GET", "/v1/statement/queued/gateway/gw_abc/0123abcd/2", null)).isEqualTo(new TrinoPath.GatewayQueued("gw_abc", "0123abcd"));
        assertThat(parse("DELETE", "/v1/statement/queued/gateway/gw_abc/0123abcd/2", null)).isEqualTo(new TrinoPath.GatewayQueued("gw_abc", "0123abcd"));
        assertThat(parse("GET", "/v1/statement/queued/gateway/gw_abc", null)).isEqualTo(new TrinoPath.GatewayQueued("gw_abc", ""));
        assertThat(TrinoPath.statementQueryId("/v1/statement/queued/gateway/gw_abc/0123abcd/2")).contains("gw_abc");
    }

    @Test
    void malformedQueryIdsAreNotRoutedByQuery()
    {
        assertThat(parse("GET", "/v1/statement/executing/../../etc/passwd", null)).isEqualTo(new TrinoPath.Unroutable());
        assertThat(parse("GET", "/v1/query/BAD%20ID", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/ui/query.html", "x=<script>")).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/ui/query.html", "")).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/v1/query/20261202_022103_00001_ABCDE", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/query/" + "q".repeat(128), null)).isEqualTo(new TrinoPath.QueryPath("q".repeat(128)));
        assertThat(parse("GET", "/v1/query/" + "q".repeat(129), null)).isEqualTo(new TrinoPath.AnyCluster());
    }

    @Test
    void otherPaths()
    {
        assertThat(parse("GET", "/v1/info", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/ui/", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/ui", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/ui/api/stats", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/v1/spooled/download/abc", null)).isEqualTo(new TrinoPath.Unroutable());
        assertThat(parse("GET", "/api/v1/clusters", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("GET", "/", null)).isEqualTo(new TrinoPath.NotTrino());
    }

    @Test
    void onlyClientPathsReachAClusterWithoutPrefix()
    {
        assertThat(parse("GET", "/v1/info/state", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/query", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/oauth2/callback", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/v1/node", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("GET", "/v1/jmx/mbean", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("POST", "/v1/task/20260101_000000_00001_abcde.0.0.0", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("GET", "/v1/infox", null)).isEqualTo(new TrinoPath.NotTrino());
    }

    @Test
    void theStepsOfAnExternalAuthenticationShareTheirKey()
    {
        // Trino's OAuth2TokenExchange.hashAuthId: SHA-256 of the id as text, in hex
        String authId = "4f7b2f0c-1c55-4bd2-9a67-2f0e2a2b8d11";
        String hash = "420ee368c78f8de3b649a826040b752bd07d190979586aa831f9fabff8e9720e";
        assertThat(parse("GET", "/oauth2/token/" + authId, null)).isEqualTo(new TrinoPath.AuthFlow(hash));
        assertThat(parse("DELETE", "/oauth2/token/" + authId.toUpperCase(Locale.ROOT), null)).isEqualTo(new TrinoPath.AuthFlow(hash));
        assertThat(parse("GET", "/oauth2/token/initiate/" + hash, null)).isEqualTo(new TrinoPath.AuthFlow(hash));
    }

    @Test
    void malformedAuthenticationStepsGoToTheWebUiCluster()
    {
        assertThat(parse("GET", "/oauth2/token/initiate/" + "A".repeat(64), null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/oauth2/token/initiate/abc", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/oauth2/token/not-a-uuid", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/oauth2/token/4f7b2f0c-1c55-4bd2-9a67-2f0e2a2b8d11/x", null)).isEqualTo(new TrinoPath.WebUi());
        assertThat(parse("GET", "/oauth2/token/", null)).isEqualTo(new TrinoPath.WebUi());
    }

    @Test
    void clientPathsAreWholeSegments()
    {
        assertThat(TrinoPath.isClientPath("/v1/statement/executing/20260101_000000_00001_abcde/y1/1")).isTrue();
        assertThat(TrinoPath.isClientPath("/v1/spooled/download/abc")).isTrue();
        assertThat(TrinoPath.isClientPath("/ui")).isTrue();
        assertThat(TrinoPath.isClientPath("/")).isFalse();
        assertThat(TrinoPath.isClientPath("/v1/statementx")).isFalse();
        assertThat(TrinoPath.isClientPath("/v1/thread")).isFalse();
        assertThat(TrinoPath.isClientPath("/uix/api")).isFalse();
    }

    private static TrinoPath parse(String method, String path, String query)
    {
        return TrinoPath.parse(method, path, query, PREFIX);
    }
}
