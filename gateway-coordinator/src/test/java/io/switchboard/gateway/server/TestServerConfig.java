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
package io.switchboard.gateway.server;

import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.switchboard.gateway.server.ServerConfig.IoPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestServerConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(ServerConfig.class)
                .setEnabled(true)
                .setPort(8080)
                .setBindAddress("0.0.0.0")
                .setMaxThreads(200)
                .setSelectors(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())))
                .setMaxRequestHeaderSize(DataSize.of(32, KILOBYTE))
                .setIdleTimeout(new Duration(10, MINUTES))
                .setIoPath(IoPath.LEAN));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "http-server.http.enabled", "false",
                        "http-server.http.port", "9090",
                        "http-server.http.bind-address", "127.0.0.1",
                        "http-server.threads.max", "50",
                        "http-server.selectors", "3",
                        "http-server.max-request-header-size", "8kB",
                        "http-server.idle-timeout", "30s",
                        "http-server.io-path", "STOCK"),
                new ServerConfig()
                        .setEnabled(false)
                        .setPort(9090)
                        .setBindAddress("127.0.0.1")
                        .setMaxThreads(50)
                        .setSelectors(3)
                        .setMaxRequestHeaderSize(DataSize.of(8, KILOBYTE))
                        .setIdleTimeout(new Duration(30, SECONDS))
                        .setIoPath(IoPath.STOCK));
    }
}
