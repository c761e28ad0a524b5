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
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.rollout.RolloutView.ClusterProgress;
import io.switchboard.gateway.rollout.RolloutView.Step;
import io.switchboard.store.rollout.RolloutState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.switchboard.store.rollout.RolloutState.FAILED;
import static io.switchboard.store.rollout.RolloutState.RUNNING;
import static io.switchboard.store.rollout.RolloutState.SUCCEEDED;
import static java.util.Objects.requireNonNull;

/**
 * The progress of one rolling restart, written by its runner and read at any time. Everything a
 * replica needs to resume it is in its {@link #view()}.
 */
final class Rollout
{
    private final String routingGroup;
    private final Actor actor;
    private final RolloutOptions options;
    private final Instant startedAt;
    private final Map<String, Progress> clusters = new LinkedHashMap<>();
    private RolloutState state = RUNNING;
    private String current;
    private String reason;
    private Instant finishedAt;

    Rollout(String routingGroup, Actor actor, RolloutOptions options, List<String> toRestart, Map<String, String> skipped)
    {
        this(routingGroup, actor, options, Instant.now());
        toRestart.forEach(name -> clusters.put(name, new Progress(Step.PENDING, null)));
        skipped.forEach((name, why) -> clusters.put(name, new Progress(Step.SKIPPED, why)));
    }

    private Rollout(String routingGroup, Actor actor, RolloutOptions options, Instant startedAt)
    {
        this.routingGroup = requireNonNull(routingGroup, "routingGroup is null");
        this.actor = requireNonNull(actor, "actor is null");
        this.options = requireNonNull(options, "options is null");
        this.startedAt = requireNonNull(startedAt, "startedAt is null");
    }

    /**
     * The rollout as another replica left it.
     */
    static Rollout resume(RolloutView view)
    {
        Rollout rollout = new Rollout(
                view.routingGroup(),
                new Actor(view.startedBy(), view.startedFrom()),
                new RolloutOptions(Duration.valueOf(view.drainTimeout()), Duration.valueOf(view.restartTimeout()), view.force()),
                view.startedAt());
        rollout.state = view.state();
        rollout.current = view.currentCluster().orElse(null);
        rollout.reason = view.reason().orElse(null);
        rollout.finishedAt = view.finishedAt().orElse(null);
        view.clusters().forEach(cluster -> rollout.clusters.put(cluster.name(), Progress.of(cluster)));
        return rollout;
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

    synchronized long elapsedSeconds()
    {
        return java.time.Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt).toSeconds();
    }

    /**
     * The clusters in the order they are restarted, skipped ones included.
     */
    synchronized List<ClusterProgress> clusters()
    {
        return clusters.entrySet().stream().map(entry -> entry.getValue().view(entry.getKey())).collect(toImmutableList());
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

    /**
     * @param runBy the replica running it
     */
    synchronized RolloutView view(Optional<String> runBy)
    {
        return new RolloutView(
                routingGroup,
                state,
                Optional.ofNullable(current),
                Optional.ofNullable(reason),
                actor.name(),
                actor.remoteAddress(),
                state == RUNNING ? runBy : Optional.empty(),
                startedAt,
                Optional.ofNullable(finishedAt),
                elapsedSeconds(),
                options.drainTimeout().toString(),
                options.restartTimeout().toString(),
                options.force(),
                clusters());
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

        private static Progress of(ClusterProgress view)
        {
            Progress progress = new Progress(view.step(), view.message().orElse(null));
            progress.startedBefore = view.coordinatorStartedBefore().orElse(null);
            progress.startedAfter = view.coordinatorStartedAfter().orElse(null);
            progress.drainStartedAt = view.drainStartedAt().orElse(null);
            progress.drainedAt = view.drainedAt().orElse(null);
            progress.restartedAt = view.restartedAt().orElse(null);
            progress.finishedAt = view.finishedAt().orElse(null);
            progress.running = view.runningQueries();
            progress.queued = view.queuedQueries();
            return progress;
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
