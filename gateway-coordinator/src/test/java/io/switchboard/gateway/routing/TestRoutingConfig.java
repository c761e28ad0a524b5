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
package io.switchboard.gateway.routing;

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

final class TestRoutingConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(RoutingConfig.class)
                .setDefaultGroup("adhoc")
                .setPolicy(RoutingConfig.SelectionPolicy.LEAST_LOADED)
                .setLoadMaxAge(new Duration(10, SECONDS))
                .setRouteCacheSize(100_000)
                .setQueryLookupTimeout(new Duration(2, SECONDS))
                .setRecordQueueSize(100_000)
                .setRecordFlushInterval(new Duration(1, SECONDS))
                .setTransactionIdleTimeout(new Duration(5, MINUTES)));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "routing.default-group", "etl",
                        "routing.policy", "WEIGHTED",
                        "routing.load-max-age", "30s",
                        "routing.query-cache-size", "5000",
                        "routing.query-lookup-timeout", "300ms",
                        "routing.record-queue-size", "200",
                        "routing.record-flush-interval", "250ms",
                        "routing.transaction-idle-timeout", "1h"),
                new RoutingConfig()
                        .setDefaultGroup("etl")
                        .setPolicy(RoutingConfig.SelectionPolicy.WEIGHTED)
                        .setLoadMaxAge(new Duration(30, SECONDS))
                        .setRouteCacheSize(5000)
                        .setQueryLookupTimeout(new Duration(300, MILLISECONDS))
                        .setRecordQueueSize(200)
                        .setRecordFlushInterval(new Duration(250, MILLISECONDS))
                        .setTransactionIdleTimeout(new Duration(1, HOURS)));
    }
}
