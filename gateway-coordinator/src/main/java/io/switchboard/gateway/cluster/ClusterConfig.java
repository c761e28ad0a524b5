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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.SECONDS;

public class ClusterConfig
{
    private Duration refreshInterval = new Duration(2, SECONDS);
    private Duration removedGracePeriod = new Duration(1, HOURS);
    private boolean allowLinkLocalAddresses;

    @NotNull
    @MinDuration("100ms")
    public Duration getRefreshInterval()
    {
        return refreshInterval;
    }

    @Config("clusters.refresh-interval")
    @ConfigDescription("How often the gateway re-reads the clusters table, so that changes made through other gateway replicas apply here")
    public ClusterConfig setRefreshInterval(Duration refreshInterval)
    {
        this.refreshInterval = refreshInterval;
        return this;
    }

    @NotNull
    public Duration getRemovedGracePeriod()
    {
        return removedGracePeriod;
    }

    @Config("clusters.removed-grace-period")
    @ConfigDescription("After a cluster is deleted, requests of its queries still in flight are forwarded to it for this long (new queries never are)")
    public ClusterConfig setRemovedGracePeriod(Duration removedGracePeriod)
    {
        this.removedGracePeriod = removedGracePeriod;
        return this;
    }

    public boolean isAllowLinkLocalAddresses()
    {
        return allowLinkLocalAddresses;
    }

    @Config("clusters.allow-link-local-addresses")
    @ConfigDescription("Allow clusters at link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, metadata.google.internal); refused by default so that the gateway cannot be made to call an instance metadata service")
    public ClusterConfig setAllowLinkLocalAddresses(boolean allowLinkLocalAddresses)
    {
        this.allowLinkLocalAddresses = allowLinkLocalAddresses;
        return this;
    }
}
