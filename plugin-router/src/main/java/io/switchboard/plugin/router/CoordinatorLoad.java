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
package io.switchboard.plugin.router;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What the coordinator's own JMX beans say at one moment.
 *
 * @param runningQueries queries admitted and not completed, other than queued ones: planning,
 * starting, running or finishing
 * @param unfinishedQueries every query created and not yet completed, whatever its state
 * (queued, planning, starting, running, finishing): what must reach zero before DRAINED
 */
public record CoordinatorLoad(
        int runningQueries,
        int queuedQueries,
        int blockedQueries,
        long unfinishedQueries,
        int activeWorkers,
        long reservedMemoryBytes,
        long totalMemoryBytes,
        String nodeId,
        Instant startedAt,
        String version)
{
    public CoordinatorLoad
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(version, "version is null");
    }
}
