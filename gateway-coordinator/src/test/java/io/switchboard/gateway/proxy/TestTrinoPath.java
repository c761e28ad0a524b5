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
        assertThat(parse("GET", "/ui/query.html", "x=<script>")).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/ui/query.html", "")).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/query/20261202_022103_00001_ABCDE", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/query/" + "q".repeat(128), null)).isEqualTo(new TrinoPath.QueryPath("q".repeat(128)));
        assertThat(parse("GET", "/v1/query/" + "q".repeat(129), null)).isEqualTo(new TrinoPath.AnyCluster());
    }

    @Test
    void otherPaths()
    {
        assertThat(parse("GET", "/v1/info", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/ui/", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/spooled/download/abc", null)).isEqualTo(new TrinoPath.Unroutable());
        assertThat(parse("GET", "/api/v1/clusters", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("GET", "/", null)).isEqualTo(new TrinoPath.NotTrino());
    }

    @Test
    void onlyClientPathsReachAClusterWithoutPrefix()
    {
        assertThat(parse("GET", "/v1/info/state", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/query", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/oauth2/callback", null)).isEqualTo(new TrinoPath.AnyCluster());
        assertThat(parse("GET", "/v1/node", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("GET", "/v1/jmx/mbean", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("POST", "/v1/task/20260101_000000_00001_abcde.0.0.0", null)).isEqualTo(new TrinoPath.NotTrino());
        assertThat(parse("GET", "/v1/infox", null)).isEqualTo(new TrinoPath.NotTrino());
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
