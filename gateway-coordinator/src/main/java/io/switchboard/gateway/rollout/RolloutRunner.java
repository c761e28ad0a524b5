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

import com.google.common.collect.ImmutableMap;
import io.airlift.log.Logger;
import io.switchboard.gateway.audit.AuditLog;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterAdmin;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.health.ClusterHealth;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.gateway.notify.ClusterEvent;
import io.switchboard.gateway.notify.Notifier;
import io.switchboard.gateway.rollout.RolloutView.ClusterProgress;
import io.switchboard.gateway.rollout.RolloutView.Step;
import io.switchboard.store.cluster.DesiredState;
import io.switchboard.store.rollout.RolloutState;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.StatusReport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.switchboard.store.health.HealthState.HEALTHY;
import static java.util.Objects.requireNonNull;

/**
 * Restarts the clusters of a rollout one after the other: take the cluster out of routing, drain
 * it, wait for the router plugin's DRAINED, for the coordinator to come back (a new start time)
 * HEALTHY, end the drain, wait for the plugin's ACTIVE, and only then route to it again.
 */
final class RolloutRunner
        implements Runnable
{
    private static final Logger log = Logger.get(RolloutRunner.class);

    record Dependencies(
            ClusterRegistry registry,
            ClusterAdmin admin,
            ClusterStatuses statuses,
            ClusterHealthMonitor health,
            Notifier notifier,
            AuditLog auditLog,
            RolloutStore store,
            Duration pollInterval,
            Duration routingGrace)
    {
        Dependencies
        {
            requireNonNull(store, "store is null");
            requireNonNull(registry, "registry is null");
            requireNonNull(admin, "admin is null");
            requireNonNull(statuses, "statuses is null");
            requireNonNull(health, "health is null");
            requireNonNull(notifier, "notifier is null");
            requireNonNull(auditLog, "auditLog is null");
            requireNonNull(pollInterval, "pollInterval is null");
            requireNonNull(routingGrace, "routingGrace is null");
        }
    }

    private static final class RolloutFailure
            extends Exception
    {
        private RolloutFailure(String message)
        {
            super(message);
        }
    }

    /**
     * Another replica took the rollout over (this one's lease expired): stop without touching anything.
     */
    private static final class LeaseLost
            extends Exception
    {
        private LeaseLost(String message)
        {
            super(message);
        }
    }

    private final Rollout rollout;
    private final List<String> toRestart;
    private final Dependencies deps;
    private boolean saveFailing;

    /**
     * Runs a new rollout, or resumes one from the step its clusters are at.
     */
    RolloutRunner(Rollout rollout, Dependencies deps)
    {
        this.rollout = requireNonNull(rollout, "rollout is null");
        this.toRestart = rollout.clusters().stream()
                .filter(cluster -> cluster.step() != Step.SKIPPED)
                .map(ClusterProgress::name)
                .collect(toImmutableList());
        this.deps = requireNonNull(deps, "deps is null");
    }

    @Override
    public void run()
    {
        try {
            for (int i = 0; i < toRestart.size(); i++) {
                continueWith(toRestart.get(i), i + 1);
            }
            rollout.succeed();
        }
        catch (RolloutFailure e) {
            rollout.fail(e.getMessage());
        }
        catch (LeaseLost e) {
            log.warn("Rolling restart of routing group %s: %s; this gateway stops running it", rollout.routingGroup(), e.getMessage());
            return;
        }
        catch (InterruptedException e) {
            release();
            return;
        }
        catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // the gateway stopped in the middle of a database call (the connection pool keeps the interrupt)
                release();
                return;
            }
            log.error(e, "Rolling restart of routing group %s failed", rollout.routingGroup());
            rollout.fail("Unexpected error: " + e.getMessage());
        }
        finished();
    }

    private void continueWith(String cluster, int ordinal)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        ClusterProgress progress = rollout.clusters().stream().filter(candidate -> candidate.name().equals(cluster)).findFirst().orElseThrow();
        switch (progress.step()) {
            case PENDING -> restart(cluster, ordinal);
            case DRAINING -> {
                Instant before = progress.coordinatorStartedBefore().orElseThrow();
                takeOutOfRouting(cluster);
                awaitDrained(cluster, before, progress.drainStartedAt().orElseThrow().plus(drainTimeout()));
                bringBack(cluster, before, ordinal, Instant.now().plus(restartTimeout()));
            }
            case RESTARTING, ACTIVATING -> bringBack(
                    cluster,
                    progress.coordinatorStartedBefore().orElseThrow(),
                    ordinal,
                    progress.drainedAt().orElseThrow().plus(restartTimeout()));
            case DONE, FAILED, SKIPPED -> {}
        }
    }

    private void restart(String cluster, int ordinal)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        if (!deps.registry().get(cluster).map(Cluster::acceptsNewQueries).orElse(false)) {
            step(cluster, Step.SKIPPED, "no longer accepting new queries when its turn came (drained, deactivated or removed by an operator): left alone");
            return;
        }
        awaitGroupBack(cluster);
        Instant before = coordinatorStart(cluster).orElseThrow(() -> new RolloutFailure(
                "Cluster " + cluster + " has no router plugin report (coordinator start time): is plugin-router installed?"));
        rollout.coordinatorStarts(cluster, Optional.of(before), Optional.empty());
        step(cluster, Step.DRAINING, "taken out of routing; draining");
        takeOutOfRouting(cluster);
        awaitDrained(cluster, before, Instant.now().plus(drainTimeout()));
        bringBack(cluster, before, ordinal, Instant.now().plus(restartTimeout()));
    }

    /**
     * Waits for the restarted coordinator, activates it and routes to it again.
     */
    private void bringBack(String cluster, Instant before, int ordinal, Instant deadline)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        Instant after = awaitRestarted(cluster, before, deadline);
        rollout.coordinatorStarts(cluster, Optional.of(before), Optional.of(after));
        activate(cluster, after, deadline);
        step(cluster, Step.DONE, "restarted (coordinator started at " + after + ") and serving again");
        notify(cluster, ClusterEvent.Type.ACTIVATED, "rolling restart of routing group %s: cluster %s restarted and serving again (%s of %s)"
                .formatted(rollout.routingGroup(), cluster, ordinal, toRestart.size()));
    }

    /**
     * At most one cluster of the group is out at a time: the others must accept queries and be
     * HEALTHY before this one is drained.
     */
    private void awaitGroupBack(String cluster)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        Instant deadline = Instant.now().plus(restartTimeout());
        while (true) {
            Optional<String> notBack = toRestart.stream()
                    .filter(other -> !other.equals(cluster))
                    .map(this::whyNotBack)
                    .flatMap(Optional::stream)
                    .findFirst();
            if (notBack.isEmpty()) {
                return;
            }
            rollout.step(cluster, Step.PENDING, "waiting before draining it: " + notBack.get());
            if (Instant.now().isAfter(deadline)) {
                throw new RolloutFailure("Did not drain " + cluster + " because another cluster of the group is not back after " +
                        rollout.options().restartTimeout() + ": " + notBack.get());
            }
            sleep();
        }
    }

    private Optional<String> whyNotBack(String cluster)
    {
        Optional<Cluster> known = deps.registry().get(cluster);
        if (known.isEmpty()) {
            return Optional.empty();
        }
        if (!known.get().acceptsNewQueries()) {
            return Optional.of(cluster + " does not accept new queries (active=" + known.get().active() + ", desired state " + known.get().desiredState() + ")");
        }
        ClusterHealth health = deps.health().health(cluster);
        if (health.state() != HEALTHY) {
            return Optional.of(cluster + " is " + health.state() + " (" + health.reason() + ")");
        }
        return Optional.empty();
    }

    /**
     * Takes the cluster out of this gateway's routing, waits until every replica has re-read the
     * clusters table, so that no query is sent to it after its plugin starts rejecting them, and
     * asks its plugin to drain. Done again when a rollout is resumed in this step.
     */
    private void takeOutOfRouting(String cluster)
            throws InterruptedException, LeaseLost
    {
        deps.admin().setActive(cluster, false, rollout.actor());
        Instant graceOver = Instant.now().plus(deps.routingGrace());
        while (Instant.now().isBefore(graceOver)) {
            sleep();
        }
        deps.admin().setDesiredState(cluster, DesiredState.DRAINING, rollout.actor());
    }

    private void awaitDrained(String cluster, Instant before, Instant deadline)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        while (true) {
            Optional<StatusReport> report = report(cluster);
            report.ifPresent(current -> rollout.load(cluster, current.runningQueries(), current.queuedQueries()));
            if (report.isPresent() && (report.get().state() == ClusterState.DRAINED || restarted(report.get(), before))) {
                step(cluster, Step.RESTARTING, "drained; waiting for its supervisor to restart the coordinator");
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                giveUp(cluster, "Cluster " + cluster + " did not report DRAINED within " + rollout.options().drainTimeout() +
                        report.map(current -> " (still " + current.runningQueries() + " running and " + current.queuedQueries() + " queued queries)").orElse(""));
            }
            sleep();
        }
    }

    private Instant awaitRestarted(String cluster, Instant before, Instant deadline)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        while (true) {
            Optional<StatusReport> report = report(cluster);
            ClusterHealth health = deps.health().health(cluster);
            if (report.isPresent() && restarted(report.get(), before) && health.state() == HEALTHY) {
                return report.get().coordinatorStartedAt().orElseThrow();
            }
            if (Instant.now().isAfter(deadline)) {
                giveUp(cluster, "Cluster " + cluster + " was not back within " + rollout.options().restartTimeout() + " of being drained: " +
                        (report.isPresent() && restarted(report.get(), before)
                                ? "restarted but " + health.state() + " (" + health.reason() + ")"
                                : "its coordinator did not restart (start time still " + before + "); is it supervised, with switchboard.exit-when-drained=true?"));
            }
            sleep();
        }
    }

    /**
     * Ends the drain while the cluster is still out of routing, and routes to it again only once
     * its plugin accepts queries.
     */
    private void activate(String cluster, Instant after, Instant deadline)
            throws RolloutFailure, InterruptedException, LeaseLost
    {
        step(cluster, Step.ACTIVATING, "restarted and HEALTHY; ending the drain");
        deps.admin().setDesiredState(cluster, DesiredState.ACTIVE, rollout.actor());
        while (true) {
            Optional<StatusReport> report = report(cluster);
            if (report.isPresent() && report.get().state() == ClusterState.ACTIVE && report.get().coordinatorStartedAt().equals(Optional.of(after))) {
                deps.admin().setActive(cluster, true, rollout.actor());
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                giveUp(cluster, "The router plugin of cluster " + cluster + " did not report ACTIVE within " + rollout.options().restartTimeout());
            }
            sleep();
        }
    }

    /**
     * Stops the rollout; the cluster is put back in routing only if it is HEALTHY.
     */
    private void giveUp(String cluster, String reason)
            throws RolloutFailure, LeaseLost
    {
        ClusterHealth health = deps.health().health(cluster);
        String outcome;
        if (health.state() == HEALTHY) {
            deps.admin().setDesiredState(cluster, DesiredState.ACTIVE, rollout.actor());
            deps.admin().setActive(cluster, true, rollout.actor());
            outcome = "; " + cluster + " is HEALTHY and was activated again";
        }
        else {
            outcome = "; " + cluster + " is " + health.state() + " (" + health.reason() + ") and was left out of routing: " +
                    "POST /api/v1/clusters/" + cluster + "/activate once it is back";
        }
        step(cluster, Step.FAILED, reason + outcome);
        throw new RolloutFailure(reason + outcome);
    }

    private void finished()
    {
        try {
            save();
        }
        catch (LeaseLost e) {
            log.warn("Rolling restart of routing group %s ended %s but %s", rollout.routingGroup(), rollout.view(Optional.empty()).state(), e.getMessage());
            return;
        }
        RolloutView view = rollout.view(Optional.empty());
        String message = "rolling restart of routing group %s %s after %ss%s".formatted(
                view.routingGroup(), view.state(), view.elapsedSeconds(), view.reason().map(reason -> ": " + reason).orElse(""));
        deps.auditLog().record(rollout.actor(), "ROLLING_RESTART_END", rollout.routingGroup(),
                ImmutableMap.of("state", view.state().name(), "elapsedSeconds", view.elapsedSeconds(), "reason", view.reason().orElse("")));
        String last = view.clusters().stream()
                .filter(cluster -> cluster.step() == Step.FAILED)
                .findFirst()
                .or(() -> view.clusters().reversed().stream().filter(cluster -> cluster.step() == Step.DONE).findFirst())
                .map(RolloutView.ClusterProgress::name)
                .orElse(toRestart.getLast());
        // ClusterEvent has no rollout type yet: the end is an ACTIVATED event when it succeeded, a DRAIN_PROGRESS one when it failed
        notify(last, view.state() == RolloutState.SUCCEEDED ? ClusterEvent.Type.ACTIVATED : ClusterEvent.Type.DRAIN_PROGRESS, message);
    }

    private void step(String cluster, Step step, String message)
            throws LeaseLost
    {
        rollout.step(cluster, step, message);
        save();
        deps.auditLog().record(rollout.actor(), "ROLLING_RESTART_STEP", cluster,
                ImmutableMap.of("routingGroup", rollout.routingGroup(), "step", step.name(), "message", message));
    }

    private void notify(String cluster, ClusterEvent.Type type, String message)
    {
        RolloutView view = rollout.view(Optional.empty());
        Map<String, String> details = ImmutableMap.of(
                "routingGroup", view.routingGroup(),
                "rollingRestart", view.state().name(),
                "startedBy", view.startedBy(),
                "elapsedSeconds", String.valueOf(view.elapsedSeconds()));
        deps.notifier().notify(new ClusterEvent(cluster, type, message, Instant.now(), details));
    }

    private Optional<StatusReport> report(String cluster)
    {
        return deps.statuses().status(cluster).map(status -> status.report());
    }

    private Optional<Instant> coordinatorStart(String cluster)
    {
        return report(cluster).flatMap(StatusReport::coordinatorStartedAt);
    }

    private static boolean restarted(StatusReport report, Instant before)
    {
        return report.coordinatorStartedAt().map(started -> !started.equals(before)).orElse(false);
    }

    /**
     * Waits one poll interval, then saves the progress, which renews this replica's lease.
     */
    private void sleep()
            throws InterruptedException, LeaseLost
    {
        Thread.sleep(deps.pollInterval());
        save();
    }

    private void save()
            throws LeaseLost
    {
        boolean owned;
        try {
            owned = deps.store().save(rollout);
        }
        catch (RuntimeException e) {
            // the rollout goes on from memory; another replica resumes it only if this one stays cut off past its lease
            if (!saveFailing) {
                saveFailing = true;
                log.warn("Cannot save the progress of the rolling restart of routing group %s to MySQL: %s", rollout.routingGroup(), e.getMessage());
            }
            return;
        }
        saveFailing = false;
        if (!owned) {
            throw new LeaseLost("another gateway replica resumed it after this one's lease expired");
        }
    }

    /**
     * The gateway is stopping: another replica, or this one once restarted, resumes the rollout.
     */
    private void release()
    {
        // the interrupt would stop the connection pool from handing out a connection
        Thread.interrupted();
        try {
            deps.store().release(rollout);
            log.info("Gateway stopping: rolling restart of routing group %s released for another replica to resume", rollout.routingGroup());
        }
        catch (RuntimeException e) {
            log.warn("Gateway stopping: could not release the rolling restart of routing group %s (another replica resumes it once its lease expires): %s",
                    rollout.routingGroup(), e.getMessage());
        }
        finally {
            Thread.currentThread().interrupt();
        }
    }

    private Duration drainTimeout()
    {
        return Duration.ofMillis(rollout.options().drainTimeout().toMillis());
    }

    private Duration restartTimeout()
    {
        return Duration.ofMillis(rollout.options().restartTimeout().toMillis());
    }
}
