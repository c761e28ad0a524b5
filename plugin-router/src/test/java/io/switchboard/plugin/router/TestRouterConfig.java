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
package io.switchboard.plugin.router;

import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestRouterConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(RouterConfig.class)
                .setHeartbeatInterval(new Duration(2, SECONDS))
                .setDrainFile(null)
                .setExitWhenDrained(false)
                .setGatewayUrl(null)
                .setTransactionIdleTimeout(new Duration(6, MINUTES))
                .setTransactionDrainTimeout(new Duration(30, MINUTES)));
    }

    @Test
    void explicitPropertyMappings()
    {
        Map<String, String> properties = Map.ofEntries(
                Map.entry("switchboard.heartbeat-interval", "500ms"),
                Map.entry("switchboard.drain-file", "/var/trino/drain"),
                Map.entry("switchboard.exit-when-drained", "true"),
                Map.entry("switchboard.gateway-url", "https://gateway.example.net"),
                Map.entry("switchboard.transaction-idle-timeout", "10m"),
                Map.entry("switchboard.transaction-drain-timeout", "1h"));
        assertFullMapping(properties, new RouterConfig()
                .setHeartbeatInterval(new Duration(500, MILLISECONDS))
                .setDrainFile("/var/trino/drain")
                .setExitWhenDrained(true)
                .setGatewayUrl("https://gateway.example.net")
                .setTransactionIdleTimeout(new Duration(10, MINUTES))
                .setTransactionDrainTimeout(new Duration(1, HOURS)));
    }
}
