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

import com.google.common.collect.ImmutableList;
import io.switchboard.store.rollout.RolloutState;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A rolling restart as {@code GET /api/v1/routing-groups/{group}/rolling-restart} shows it.
 *
 * @param currentCluster the cluster being drained, restarted or activated, while RUNNING
 * @param reason why it FAILED
 * @param startedFrom the address the start request came from
 * @param runBy the gateway replica running it, while RUNNING; empty between one replica
 * stopping and another resuming it
 */
public record RolloutView(
        String routingGroup,
        RolloutState state,
        Optional<String> currentCluster,
        Optional<String> reason,
        String startedBy,
        String startedFrom,
        Optional<String> runBy,
        Instant startedAt,
        Optional<Instant> finishedAt,
        long elapsedSeconds,
        String drainTimeout,
        String restartTimeout,
        boolean force,
        List<ClusterProgress> clusters)
{
    public RolloutView
    {
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(state, "state is null");
        requireNonNull(currentCluster, "currentCluster is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(startedBy, "startedBy is null");
        requireNonNull(startedFrom, "startedFrom is null");
        requireNonNull(runBy, "runBy is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(drainTimeout, "drainTimeout is null");
        requireNonNull(restartTimeout, "restartTimeout is null");
        clusters = ImmutableList.copyOf(requireNonNull(clusters, "clusters is null"));
    }

    public enum Step
    {
        /** Not started yet (waits until every other cluster of the group is back). */
        PENDING,
        /** Drain requested; running queries finish, the router plugin reports DRAINED. */
        DRAINING,
        /** Drained; waiting for the supervisor to restart the coordinator and for it to be HEALTHY. */
        RESTARTING,
        /** Restarted; drain ended, waiting for the router plugin to report ACTIVE before routing to it. */
        ACTIVATING,
        DONE,
        FAILED,
        /** Not accepting queries when the rollout started (drained or deactivated by an operator): left alone. */
        SKIPPED,
    }

    /**
     * One cluster's progress; {@code runningQueries} and {@code queuedQueries} are what its router
     * plugin last reported while the rollout waited for it.
     */
    public record ClusterProgress(
            String name,
            Step step,
            Optional<String> message,
            Optional<Instant> coordinatorStartedBefore,
            Optional<Instant> coordinatorStartedAfter,
            Optional<Instant> drainStartedAt,
            Optional<Instant> drainedAt,
            Optional<Instant> restartedAt,
            Optional<Instant> finishedAt,
            int runningQueries,
            int queuedQueries)
    {
        public ClusterProgress
        {
            requireNonNull(name, "name is null");
            requireNonNull(step, "step is null");
            requireNonNull(message, "message is null");
            requireNonNull(coordinatorStartedBefore, "coordinatorStartedBefore is null");
            requireNonNull(coordinatorStartedAfter, "coordinatorStartedAfter is null");
            requireNonNull(drainStartedAt, "drainStartedAt is null");
            requireNonNull(drainedAt, "drainedAt is null");
            requireNonNull(restartedAt, "restartedAt is null");
            requireNonNull(finishedAt, "finishedAt is null");
        }
    }
}
