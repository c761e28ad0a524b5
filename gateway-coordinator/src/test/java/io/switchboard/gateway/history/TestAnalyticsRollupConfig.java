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
package io.switchboard.gateway.history;

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
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestAnalyticsRollupConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(AnalyticsRollupConfig.class)
                .setEnabled(true)
                .setInterval(new Duration(1, MINUTES)));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "analytics.rollup.enabled", "false",
                        "analytics.rollup.interval", "30s"),
                new AnalyticsRollupConfig()
                        .setEnabled(false)
                        .setInterval(new Duration(30, SECONDS)));
    }

    @Test
    void interval()
    {
        assertValidates(new AnalyticsRollupConfig().setInterval(new Duration(1, SECONDS)));
        assertFailsValidation(new AnalyticsRollupConfig().setInterval(new Duration(999, MILLISECONDS)), "interval", "must be greater than or equal to 1s", MinDuration.class);
        assertFailsValidation(new AnalyticsRollupConfig().setInterval(null), "interval", "must not be null", NotNull.class);
    }
}
