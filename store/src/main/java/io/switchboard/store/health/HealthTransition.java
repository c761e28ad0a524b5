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
package io.switchboard.store.health;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One change of a cluster's health, as one gateway replica saw it.
 */
public record HealthTransition(String clusterName, Instant occurredAt, HealthState previousState, HealthState state, String reason, String gatewayId)
{
    public HealthTransition
    {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(occurredAt, "occurredAt is null");
        requireNonNull(previousState, "previousState is null");
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(gatewayId, "gatewayId is null");
    }
}
