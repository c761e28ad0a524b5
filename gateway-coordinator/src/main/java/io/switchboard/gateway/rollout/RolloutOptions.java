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

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What the operator asked for one rolling restart.
 *
 * @param drainTimeout longest wait for a cluster to report DRAINED
 * @param restartTimeout longest wait, once a cluster is drained, for it to be back restarted, HEALTHY and ACTIVE
 * @param force whether a group with fewer than two clusters accepting queries may be restarted
 */
public record RolloutOptions(Duration drainTimeout, Duration restartTimeout, boolean force)
{
    public RolloutOptions
    {
        requireNonNull(drainTimeout, "drainTimeout is null");
        requireNonNull(restartTimeout, "restartTimeout is null");
        checkArgument(drainTimeout.toMillis() >= 1000, "drainTimeout must be at least 1s: %s", drainTimeout);
        checkArgument(restartTimeout.toMillis() >= 1000, "restartTimeout must be at least 1s: %s", restartTimeout);
    }
}
