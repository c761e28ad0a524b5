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

import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.testing.ValidationAssertions.assertFailsValidation;
import static io.airlift.testing.ValidationAssertions.assertValidates;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestClusterConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(ClusterConfig.class)
                .setRefreshInterval(new Duration(2, SECONDS))
                .setRemovedGracePeriod(new Duration(1, HOURS))
                .setAllowLinkLocalAddresses(false));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "clusters.refresh-interval", "500ms",
                        "clusters.removed-grace-period", "10m",
                        "clusters.allow-link-local-addresses", "true"),
                new ClusterConfig()
                        .setRefreshInterval(new Duration(500, MILLISECONDS))
                        .setRemovedGracePeriod(new Duration(10, MINUTES))
                        .setAllowLinkLocalAddresses(true));
    }

    @Test
    void refreshIntervalOfAtLeast100Milliseconds()
    {
        assertValidates(new ClusterConfig().setRefreshInterval(new Duration(100, MILLISECONDS)));
        assertFailsValidation(new ClusterConfig().setRefreshInterval(new Duration(99, MILLISECONDS)), "refreshInterval", "must be greater than or equal to 100ms", MinDuration.class);
        assertFailsValidation(new ClusterConfig().setRefreshInterval(null), "refreshInterval", "must not be null", NotNull.class);
    }

    @Test
    void removedGracePeriodIsRequired()
    {
        assertFailsValidation(new ClusterConfig().setRemovedGracePeriod(null), "removedGracePeriod", "must not be null", NotNull.class);
    }
}
