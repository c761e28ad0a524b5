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

import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatus;

import java.time.Instant;
import java.util.Optional;

/**
 * What a cluster's router plugin last reported: its drain state and, while draining, the
 * progress (queries still running or queued).
 */
public record CoordinatorReport(
        ClusterState drainState,
        int runningQueries,
        int queuedQueries,
        int blockedQueries,
        int activeWorkers,
        Optional<Instant> coordinatorStartedAt,
        Optional<String> trinoVersion,
        Instant heartbeatAt)
{
    public static CoordinatorReport from(ClusterStatus status)
    {
        return new CoordinatorReport(
                status.report().state(),
                status.report().runningQueries(),
                status.report().queuedQueries(),
                status.report().blockedQueries(),
                status.report().activeWorkers(),
                status.report().coordinatorStartedAt(),
                status.report().trinoVersion(),
                status.heartbeatAt());
    }
}
