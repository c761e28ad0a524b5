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
package io.switchboard.gateway.rollout;

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
import static org.assertj.core.api.Assertions.assertThat;

final class TestRolloutConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(RolloutConfig.class)
                .setPollInterval(new Duration(1, SECONDS))
                .setDrainTimeout(new Duration(30, MINUTES))
                .setRestartTimeout(new Duration(10, MINUTES))
                .setLeaseTimeout(new Duration(30, SECONDS)));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "rollout.poll-interval", "200ms",
                        "rollout.drain-timeout", "1h",
                        "rollout.restart-timeout", "15m",
                        "rollout.lease-timeout", "1m"),
                new RolloutConfig()
                        .setPollInterval(new Duration(200, MILLISECONDS))
                        .setDrainTimeout(new Duration(1, HOURS))
                        .setRestartTimeout(new Duration(15, MINUTES))
                        .setLeaseTimeout(new Duration(1, MINUTES)));
    }

    @Test
    void leaseOutlastsSeveralPolls()
    {
        assertThat(new RolloutConfig().setPollInterval(new Duration(1, SECONDS)).setLeaseTimeout(new Duration(2, SECONDS)).isLeaseLongerThanPolls()).isFalse();
        assertThat(new RolloutConfig().setPollInterval(new Duration(1, SECONDS)).setLeaseTimeout(new Duration(3, SECONDS)).isLeaseLongerThanPolls()).isTrue();
    }
}
