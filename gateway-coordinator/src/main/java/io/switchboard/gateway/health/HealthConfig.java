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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.SECONDS;

public class HealthConfig
{
    private Duration checkInterval = new Duration(10, SECONDS);
    private Duration timeout = new Duration(5, SECONDS);
    private int failureThreshold = 3;
    private int successThreshold = 2;

    @NotNull
    @MinDuration("100ms")
    @MaxDuration("1h")
    public Duration getCheckInterval()
    {
        return checkInterval;
    }

    @Config("health.check-interval")
    @ConfigDescription("How often every cluster is probed (GET /v1/info with an X-Forwarded-Proto header)")
    public HealthConfig setCheckInterval(Duration checkInterval)
    {
        this.checkInterval = checkInterval;
        return this;
    }

    @NotNull
    @MinDuration("50ms")
    @MaxDuration("10m")
    public Duration getTimeout()
    {
        return timeout;
    }

    @Config("health.timeout")
    @ConfigDescription("A probe that has no complete answer within this time fails")
    public HealthConfig setTimeout(Duration timeout)
    {
        this.timeout = timeout;
        return this;
    }

    @Min(1)
    @Max(100)
    public int getFailureThreshold()
    {
        return failureThreshold;
    }

    @Config("health.failure-threshold")
    @ConfigDescription("Consecutive failed probes (timeouts, errors, still starting) that turn a HEALTHY cluster UNHEALTHY; a refused connection or a 406 counts at once")
    public HealthConfig setFailureThreshold(int failureThreshold)
    {
        this.failureThreshold = failureThreshold;
        return this;
    }

    @Min(1)
    @Max(100)
    public int getSuccessThreshold()
    {
        return successThreshold;
    }

    @Config("health.success-threshold")
    @ConfigDescription("Consecutive good probes that bring an UNHEALTHY or MISCONFIGURED cluster back to HEALTHY (a new cluster needs one)")
    public HealthConfig setSuccessThreshold(int successThreshold)
    {
        this.successThreshold = successThreshold;
        return this;
    }

    @AssertTrue(message = "health.timeout must not be longer than health.check-interval")
    public boolean isTimeoutWithinInterval()
    {
        return timeout.compareTo(checkInterval) <= 0;
    }
}
