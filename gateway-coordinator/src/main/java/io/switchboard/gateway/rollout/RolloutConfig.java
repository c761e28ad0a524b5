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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

public class RolloutConfig
{
    private Duration pollInterval = new Duration(1, SECONDS);
    private Duration drainTimeout = new Duration(30, MINUTES);
    private Duration restartTimeout = new Duration(10, MINUTES);
    private Duration leaseTimeout = new Duration(30, SECONDS);

    @NotNull
    @MinDuration("10ms")
    @MaxDuration("1m")
    public Duration getPollInterval()
    {
        return pollInterval;
    }

    @Config("rollout.poll-interval")
    @ConfigDescription("How often a rolling restart checks the cluster it is working on (drain state, coordinator start time, health)")
    public RolloutConfig setPollInterval(Duration pollInterval)
    {
        this.pollInterval = pollInterval;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getDrainTimeout()
    {
        return drainTimeout;
    }

    @Config("rollout.drain-timeout")
    @ConfigDescription("Default longest wait for a cluster's router plugin to report DRAINED (its running queries to finish); a request may override it")
    public RolloutConfig setDrainTimeout(Duration drainTimeout)
    {
        this.drainTimeout = drainTimeout;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getRestartTimeout()
    {
        return restartTimeout;
    }

    @Config("rollout.restart-timeout")
    @ConfigDescription("Default longest wait, once a cluster is drained, for its coordinator to come back restarted, HEALTHY and ACTIVE; a request may override it")
    public RolloutConfig setRestartTimeout(Duration restartTimeout)
    {
        this.restartTimeout = restartTimeout;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getLeaseTimeout()
    {
        return leaseTimeout;
    }

    @Config("rollout.lease-timeout")
    @ConfigDescription("How long a rolling restart whose gateway replica stopped renewing it (crashed, cut off from MySQL) waits before another replica resumes it")
    public RolloutConfig setLeaseTimeout(Duration leaseTimeout)
    {
        this.leaseTimeout = leaseTimeout;
        return this;
    }

    @AssertTrue(message = "rollout.lease-timeout must be at least three times rollout.poll-interval: the lease is renewed every poll")
    public boolean isLeaseLongerThanPolls()
    {
        return leaseTimeout == null || pollInterval == null || leaseTimeout.toMillis() >= 3 * pollInterval.toMillis();
    }
}
