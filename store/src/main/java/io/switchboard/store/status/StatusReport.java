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
package io.switchboard.store.status;

import java.time.Instant;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What a router plugin reports about its cluster in one heartbeat.
 *
 * @param queryCounts the coordinator's unfinished queries per user and source; empty from a
 * plugin that does not count them, or when the stored counts cannot be read
 */
public record StatusReport(
        String clusterName,
        ClusterState state,
        int runningQueries,
        int queuedQueries,
        int blockedQueries,
        int activeWorkers,
        long reservedMemoryBytes,
        long totalMemoryBytes,
        Optional<String> coordinatorNodeId,
        Optional<Instant> coordinatorStartedAt,
        Optional<String> trinoVersion,
        Optional<QueryCounts> queryCounts)
{
    public StatusReport
    {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(state, "state is null");
        requireNonNull(coordinatorNodeId, "coordinatorNodeId is null");
        requireNonNull(coordinatorStartedAt, "coordinatorStartedAt is null");
        requireNonNull(trinoVersion, "trinoVersion is null");
        requireNonNull(queryCounts, "queryCounts is null");
        checkArgument(runningQueries >= 0 && queuedQueries >= 0 && blockedQueries >= 0, "query counts must not be negative");
        checkArgument(activeWorkers >= 0, "activeWorkers must not be negative");
        checkArgument(reservedMemoryBytes >= 0 && totalMemoryBytes >= 0, "memory must not be negative");
    }
}
