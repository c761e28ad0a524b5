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
package io.switchboard.gateway.health;

import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

final class TestHealthConfig
{
    @Test
    void defaults()
    {
        assertRecordedDefaults(recordDefaults(HealthConfig.class)
                .setCheckInterval(new Duration(10, SECONDS))
                .setTimeout(new Duration(5, SECONDS))
                .setFailureThreshold(3)
                .setSuccessThreshold(2));
    }

    @Test
    void explicitPropertyMappings()
    {
        assertFullMapping(
                Map.of(
                        "health.check-interval", "30s",
                        "health.timeout", "2s",
                        "health.failure-threshold", "5",
                        "health.success-threshold", "1"),
                new HealthConfig()
                        .setCheckInterval(new Duration(30, SECONDS))
                        .setTimeout(new Duration(2, SECONDS))
                        .setFailureThreshold(5)
                        .setSuccessThreshold(1));
    }

    @Test
    void timeoutMustFitInTheInterval()
    {
        assertThat(new HealthConfig().setCheckInterval(new Duration(1, SECONDS)).setTimeout(new Duration(2, SECONDS)).isTimeoutWithinInterval()).isFalse();
        assertThat(new HealthConfig().setCheckInterval(new Duration(1, SECONDS)).setTimeout(new Duration(500, MILLISECONDS)).isTimeoutWithinInterval()).isTrue();
    }
}
