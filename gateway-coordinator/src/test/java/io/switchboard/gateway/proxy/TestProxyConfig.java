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

import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.airlift.units.MaxDataSize;
import io.airlift.units.MinDataSize;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static io.airlift.testing.ValidationAssertions.assertValidates;
import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestProxyConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(ProxyConfig.class)
                .setRoutePrefix("/cluster")
                .setConnectTimeout(new Duration(5, SECONDS))
                .setIdleTimeout(new Duration(10, MINUTES))
                .setMaxConnectionsPerCluster(2048)
                .setMaxStatementSize(DataSize.of(8, MEGABYTE))
                .setResponseBufferSize(DataSize.of(64, KILOBYTE))
                .setTrustForwardedHeaders(false));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "proxy.route-prefix", "/via",
                        "proxy.connect-timeout", "1s",
                        "proxy.idle-timeout", "1m",
                        "proxy.max-connections-per-cluster", "10",
                        "proxy.max-statement-size", "1MB",
                        "proxy.response-buffer-size", "16kB",
                        "proxy.trust-forwarded-headers", "true"),
                new ProxyConfig()
                        .setRoutePrefix("/via")
                        .setConnectTimeout(new Duration(1, SECONDS))
                        .setIdleTimeout(new Duration(1, MINUTES))
                        .setMaxConnectionsPerCluster(10)
                        .setMaxStatementSize(DataSize.of(1, MEGABYTE))
                        .setResponseBufferSize(DataSize.of(16, KILOBYTE))
                        .setTrustForwardedHeaders(true));
    }

    @Test
    void responseBufferSizeWithinJettysPooledBuffers()
    {
        assertValidates(new ProxyConfig().setResponseBufferSize(DataSize.of(4, KILOBYTE)));
        assertValidates(new ProxyConfig().setResponseBufferSize(DataSize.of(64, KILOBYTE)));
        assertFailsValidation(new ProxyConfig().setResponseBufferSize(DataSize.of(1, MEGABYTE)), "responseBufferSize", "must be less than or equal to 64kB", MaxDataSize.class);
        assertFailsValidation(new ProxyConfig().setResponseBufferSize(DataSize.of(1, KILOBYTE)), "responseBufferSize", "must be greater than or equal to 4kB", MinDataSize.class);
    }
}
