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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.MINUTES;

public class AnalyticsRollupConfig
{
    private boolean enabled = true;
    private Duration interval = new Duration(1, MINUTES);

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config("analytics.rollup.enabled")
    @ConfigDescription("Maintain the hourly rollup of the query history that the analytics API reads for whole hours")
    public AnalyticsRollupConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getInterval()
    {
        return interval;
    }

    @Config("analytics.rollup.interval")
    @ConfigDescription("How often the rollup computes the hours that closed or whose queries changed")
    public AnalyticsRollupConfig setInterval(Duration interval)
    {
        this.interval = interval;
        return this;
    }
}
