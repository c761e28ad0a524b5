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

import io.switchboard.store.health.HealthState;

import static java.util.Objects.requireNonNull;

/**
 * A cluster's health as the API shows it. Times are ISO-8601 UTC, null before the first check.
 *
 * @param state PENDING, HEALTHY, UNHEALTHY or MISCONFIGURED
 * @param reason why the cluster is in this state (empty when healthy), with the setting to change when misconfigured
 * @param since when the cluster entered this state
 * @param lastCheck when the last probe completed
 * @param latencyMillis how long the last probe took, -1 before the first one
 */
public record ClusterHealth(HealthState state, String reason, String since, String lastCheck, long latencyMillis)
{
    public ClusterHealth
    {
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
    }

    public static ClusterHealth pending()
    {
        return new ClusterHealth(HealthState.PENDING, "not checked yet", null, null, -1);
    }
}
