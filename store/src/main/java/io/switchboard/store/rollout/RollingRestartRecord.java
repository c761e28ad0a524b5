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
package io.switchboard.store.rollout;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code rolling_restarts}: the latest rolling restart of a routing group.
 *
 * @param owner the gateway replica running it; empty once finished or released
 * @param progress JSON written and read by the gateway, opaque to the store
 */
public record RollingRestartRecord(
        String routingGroup,
        RolloutState state,
        Optional<String> currentCluster,
        Optional<String> reason,
        String startedBy,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Optional<String> owner,
        String progress)
{
    public RollingRestartRecord
    {
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(state, "state is null");
        requireNonNull(currentCluster, "currentCluster is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(startedBy, "startedBy is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(progress, "progress is null");
    }
}
