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
package io.switchboard.gateway.cluster;

import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.ClusterRecord;
import org.junit.jupiter.api.Test;

import static io.switchboard.store.cluster.DesiredState.ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestClusterSpec
{
    @Test
    void defaultsExternalUrlActiveAndWeight()
    {
        assertThat(new ClusterSpec("adhoc-1", "http://10.0.0.1:8080/", null, "adhoc", null, null, null).toRecord(ACTIVE, false))
                .isEqualTo(new ClusterRecord("adhoc-1", "http://10.0.0.1:8080", "http://10.0.0.1:8080", "adhoc", true, ACTIVE, 1, ClusterKind.TRINO));
    }

    @Test
    void kindIsTrinoUnlessNamed()
    {
        assertThat(new ClusterSpec("p", "http://10.0.0.1:8080", null, "presto", null, null, "prestodb").toRecord(ACTIVE, false).kind()).isEqualTo(ClusterKind.PRESTODB);
        assertThat(new ClusterSpec("p", "http://10.0.0.1:8080", null, "presto", null, null, "PrestoDB").toRecord(ACTIVE, false).kind()).isEqualTo(ClusterKind.PRESTODB);
        assertThat(new ClusterSpec("t", "http://10.0.0.1:8080", null, "adhoc", null, null, "trino").toRecord(ACTIVE, false).kind()).isEqualTo(ClusterKind.TRINO);
        // an update without a kind keeps the cluster's
        assertThat(new ClusterSpec("p", "http://10.0.0.1:8080", null, "presto", null, null, null).toRecord(ACTIVE, ClusterKind.PRESTODB, false).kind()).isEqualTo(ClusterKind.PRESTODB);
        assertInvalid(new ClusterSpec("a", "http://a:8080", null, "adhoc", null, null, "presto"), "kind must be 'trino' or 'prestodb', was 'presto'");
    }

    @Test
    void rejectsWhatCannotBeACluster()
    {
        assertInvalid(new ClusterSpec(null, "http://a:8080", null, "adhoc", null, null, null), "name is required");
        assertInvalid(new ClusterSpec("bad name", "http://a:8080", null, "adhoc", null, null, null), "name must be");
        assertInvalid(new ClusterSpec("a", "ftp://a:8080", null, "adhoc", null, null, null), "proxyUrl must be an http:// or https:// URL");
        assertInvalid(new ClusterSpec("a", "not a url", null, "adhoc", null, null, null), "proxyUrl is not a valid URL");
        assertInvalid(new ClusterSpec("a", "http://user:pw@a:8080", null, "adhoc", null, null, null), "without credentials");
        assertInvalid(new ClusterSpec("a", "http://a:8080", "file:///etc/passwd", "adhoc", null, null, null), "externalUrl must be an http");
        assertInvalid(new ClusterSpec("a", "http://a:8080", null, null, null, null, null), "routingGroup is required");
        assertInvalid(new ClusterSpec("a", "http://a:8080", null, "adhoc", null, 0, null), "weight must be between 1 and 1000");
        assertInvalid(new ClusterSpec("a", "http://127.0.0.1:70000", null, "adhoc", null, null, null), "port out of range");
        assertInvalid(new ClusterSpec("a", "http://127.0.0.1:0", null, "adhoc", null, null, null), "port out of range");
        assertInvalid(new ClusterSpec("a", "http://a:8080/" + "p".repeat(1011), null, "adhoc", null, null, null), "proxyUrl must be at most 1024 characters, was 1025");
        assertInvalid(new ClusterSpec("a", "http://a:8080", "http://b/" + "p".repeat(2000), "adhoc", null, null, null), "externalUrl must be at most 1024 characters, was 2009");
    }

    @Test
    void acceptsTheLongestUrlThatFitsItsColumn()
    {
        String url = "http://a:8080/" + "p".repeat(1024 - "http://a:8080/".length());
        assertThat(new ClusterSpec("a", url, null, "adhoc", null, null, null).toRecord(ACTIVE, false).proxyUrl()).isEqualTo(url);
    }

    @Test
    void refusesLinkLocalAndMetadataAddressesUnlessAllowed()
    {
        for (String url : new String[] {"http://169.254.169.254", "http://169.254.1.1:8080", "http://[fe80::1]:8080", "http://metadata.google.internal",
                "http://METADATA.google.internal/x", "http://100.100.100.200", "http://[fd00:ec2::254]", "http://2852039166"}) {
            assertInvalid(new ClusterSpec("a", url, null, "adhoc", null, null, null), "link-local or cloud metadata address");
            assertThat(new ClusterSpec("a", url, null, "adhoc", null, null, null).toRecord(ACTIVE, true).proxyUrl()).isEqualTo(url);
        }
        assertThat(new ClusterSpec("a", "http://127.0.0.1:8080", null, "adhoc", null, null, null).toRecord(ACTIVE, false).proxyUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(new ClusterSpec("a", "http://10.1.2.3:8080", null, "adhoc", null, null, null).toRecord(ACTIVE, false).proxyUrl()).isEqualTo("http://10.1.2.3:8080");
    }

    private static void assertInvalid(ClusterSpec spec, String message)
    {
        assertThatThrownBy(() -> spec.toRecord(ACTIVE, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
