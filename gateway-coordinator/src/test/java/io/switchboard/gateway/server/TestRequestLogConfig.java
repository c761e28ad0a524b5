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
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.KILOBYTE;
import static io.airlift.units.DataSize.Unit.MEGABYTE;

final class TestRequestLogConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(RequestLogConfig.class)
                .setEnabled(false)
                .setPath("var/log/http-request.log")
                .setMaxHistory(15)
                .setMaxSize(DataSize.of(100, MEGABYTE))
                .setQueueSize(10_000)
                .setCompressionEnabled(true)
                .setImmediateFlush(false));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "http-server.log.enabled", "true",
                        "http-server.log.path", "/var/log/switchboard/requests.log",
                        "http-server.log.max-history", "3",
                        "http-server.log.max-size", "64kB",
                        "http-server.log.queue-size", "100",
                        "http-server.log.compression.enabled", "false",
                        "http-server.log.immediate-flush", "true"),
                new RequestLogConfig()
                        .setEnabled(true)
                        .setPath("/var/log/switchboard/requests.log")
                        .setMaxHistory(3)
                        .setMaxSize(DataSize.of(64, KILOBYTE))
                        .setQueueSize(100)
                        .setCompressionEnabled(false)
                        .setImmediateFlush(true));
    }
}
