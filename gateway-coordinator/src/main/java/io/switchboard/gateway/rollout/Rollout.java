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

import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.rollout.RolloutView.ClusterProgress;
import io.switchboard.gateway.rollout.RolloutView.RolloutState;
import io.switchboard.gateway.rollout.RolloutView.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.switchboard.gateway.rollout.RolloutView.RolloutState.FAILED;
import static io.switchboard.gateway.rollout.RolloutView.RolloutState.RUNNING;
import static io.switchboard.gateway.rollout.RolloutView.RolloutState.SUCCEEDED;
import static java.util.Objects.requireNonNull;

/**
 * The progress of one rolling restart, written by its runner and read by the API at any time.
 */
final class Rollout
{
    private final String routingGroup;
    private final Actor actor;
    private final RolloutOptions options;
    private final Instant startedAt = Instant.now();
    private final Map<String, Progress> clusters = new LinkedHashMap<>();
    private RolloutState state = RUNNING;
    private String current;
    private String reason;
    private Instant finishedAt;

    Rollout(String routingGroup, Actor actor, RolloutOptions options, List<String> toRestart, Map<String, String> skipped)
    {
        this.routingGroup = requireNonNull(routingGroup, "routingGroup is null");
        this.actor = requireNonNull(actor, "actor is null");
        this.options = requireNonNull(options, "options is null");
        toRestart.forEach(name -> clusters.put(name, new Progress(Step.PENDING, null)));
        skipped.forEach((name, why) -> clusters.put(name, new Progress(Step.SKIPPED, why)));
    }

    String routingGroup()
    {
        return routingGroup;
    }

    Actor actor()
    {
        return actor;
    }

    RolloutOptions options()
    {
        return options;
    }

    synchronized boolean isRunning()
    {
        return state == RUNNING;
    }

    synchronized Duration elapsed()
    {
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt);
    }

    synchronized void step(String cluster, Step step, String message)
    {
        Progress progress = clusters.get(cluster);
        progress.step = step;
        progress.message = message;
        Instant now = Instant.now();
        switch (step) {
            case DRAINING -> progress.drainStartedAt = now;
            case RESTARTING -> progress.drainedAt = now;
            case ACTIVATING -> progress.restartedAt = now;
            case DONE, FAILED -> progress.finishedAt = now;
            case PENDING, SKIPPED -> {}
        }
        current = step == Step.DONE || step == Step.FAILED ? null : cluster;
    }

    synchronized void coordinatorStarts(String cluster, Optional<Instant> before, Optional<Instant> after)
    {
        clusters.get(cluster).startedBefore = before.orElse(null);
        clusters.get(cluster).startedAfter = after.orElse(null);
    }

    synchronized void load(String cluster, int running, int queued)
    {
        clusters.get(cluster).running = running;
        clusters.get(cluster).queued = queued;
    }

    synchronized void succeed()
    {
        state = SUCCEEDED;
        finishedAt = Instant.now();
        current = null;
    }

    synchronized void fail(String reason)
    {
        this.state = FAILED;
        this.reason = requireNonNull(reason, "reason is null");
        finishedAt = Instant.now();
        current = null;
    }

    synchronized RolloutView view()
    {
        return new RolloutView(
                routingGroup,
                state,
                Optional.ofNullable(current),
                Optional.ofNullable(reason),
                actor.name(),
                startedAt,
                Optional.ofNullable(finishedAt),
                elapsed().toSeconds(),
                options.drainTimeout().toString(),
                options.restartTimeout().toString(),
                options.force(),
                clusters.entrySet().stream().map(entry -> entry.getValue().view(entry.getKey())).collect(toImmutableList()));
    }

    private static final class Progress
    {
        private Step step;
        private String message;
        private Instant startedBefore;
        private Instant startedAfter;
        private Instant drainStartedAt;
        private Instant drainedAt;
        private Instant restartedAt;
        private Instant finishedAt;
        private int running;
        private int queued;

        private Progress(Step step, String message)
        {
            this.step = step;
            this.message = message;
        }

        private ClusterProgress view(String name)
        {
            return new ClusterProgress(
                    name,
                    step,
                    Optional.ofNullable(message),
                    Optional.ofNullable(startedBefore),
                    Optional.ofNullable(startedAfter),
                    Optional.ofNullable(drainStartedAt),
                    Optional.ofNullable(drainedAt),
                    Optional.ofNullable(restartedAt),
                    Optional.ofNullable(finishedAt),
                    running,
                    queued);
        }
    }
}
