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
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.api.GatewayException;
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.audit.AuditLog;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterAdmin;
import io.switchboard.gateway.cluster.ClusterConfig;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.gateway.notify.Notifier;
import io.switchboard.store.rollout.RolloutState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static io.switchboard.gateway.api.GatewayException.Reason.CONFLICT;
import static io.switchboard.gateway.api.GatewayException.Reason.NOT_FOUND;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Starts rolling restarts of routing groups, one at a time per group across every gateway
 * replica, each on a thread of its own, and resumes the ones another replica left: released when
 * it stopped, or not renewed within {@code rollout.lease-timeout} when it died.
 */
public class RollingRestarts
{
    private static final Logger log = Logger.get(RollingRestarts.class);

    private final RolloutConfig config;
    private final RolloutStore store;
    private final RolloutRunner.Dependencies deps;
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreadsNamed("rolling-restart-%s"));
    private final ScheduledExecutorService resumer = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("rolling-restart-resumer"));

    @Inject
    public RollingRestarts(
            RolloutConfig config,
            ClusterConfig clusterConfig,
            ClusterRegistry registry,
            ClusterAdmin admin,
            ClusterStatuses statuses,
            ClusterHealthMonitor health,
            Notifier notifier,
            AuditLog auditLog,
            RolloutStore store)
    {
        this.config = requireNonNull(config, "config is null");
        this.store = requireNonNull(store, "store is null");
        // other gateway replicas re-read the clusters table every refresh interval
        Duration routingGrace = Duration.ofMillis(2 * clusterConfig.getRefreshInterval().toMillis());
        this.deps = new RolloutRunner.Dependencies(registry, admin, statuses, health, notifier, auditLog, store,
                Duration.ofMillis(config.getPollInterval().toMillis()), routingGrace);
    }

    @PostConstruct
    public void start()
    {
        long interval = Math.max(config.getPollInterval().toMillis(), config.getLeaseTimeout().toMillis() / 3);
        resumer.scheduleWithFixedDelay(this::resumeAbandoned, 0, interval, MILLISECONDS);
    }

    /**
     * Interrupts the running rollouts, which release their leases for another replica to resume them.
     */
    @PreDestroy
    public void stop()
            throws InterruptedException
    {
        resumer.shutdownNow();
        executor.shutdownNow();
        executor.awaitTermination(10, SECONDS);
    }

    public RolloutConfig config()
    {
        return config;
    }

    public synchronized RolloutView start(String routingGroup, RolloutOptions options, Actor actor)
    {
        store.latest(routingGroup).filter(previous -> previous.state() == RolloutState.RUNNING).ifPresent(previous -> {
            throw alreadyRunning(previous);
        });
        List<Cluster> group = deps.registry().all().stream().filter(cluster -> cluster.routingGroup().equals(routingGroup)).collect(toImmutableList());
        if (group.isEmpty()) {
            throw new GatewayException(NOT_FOUND, "Routing group " + routingGroup + " has no clusters");
        }
        List<String> accepting = group.stream().filter(Cluster::acceptsNewQueries).map(Cluster::name).collect(toImmutableList());
        Map<String, String> skipped = group.stream()
                .filter(cluster -> !cluster.acceptsNewQueries())
                .collect(toImmutableMap(Cluster::name, RollingRestarts::whySkipped));
        checkCanStart(routingGroup, accepting, skipped, options.force());
        Rollout rollout = new Rollout(routingGroup, actor, options, accepting, skipped);
        if (!store.start(rollout)) {
            // another replica started one since the check above
            throw store.latest(routingGroup).map(RollingRestarts::alreadyRunning).orElseGet(() -> new GatewayException(CONFLICT, "A rolling restart of routing group " + routingGroup + " is already running"));
        }
        deps.auditLog().record(actor, "ROLLING_RESTART_START", routingGroup, ImmutableMap.of(
                "clusters", accepting,
                "skipped", skipped,
                "drainTimeout", options.drainTimeout().toString(),
                "restartTimeout", options.restartTimeout().toString(),
                "force", options.force()));
        executor.execute(new RolloutRunner(rollout, deps));
        return rollout.view(Optional.of(store.owner()));
    }

    /**
     * The latest rolling restart of the group, whichever replica runs or ran it.
     */
    public Optional<RolloutView> latest(String routingGroup)
    {
        return store.latest(routingGroup);
    }

    private void resumeAbandoned()
    {
        try {
            for (Rollout rollout : store.claimAbandoned()) {
                RolloutView view = rollout.view(Optional.of(store.owner()));
                log.info("Resuming the rolling restart of routing group %s at cluster %s, left by another gateway replica", rollout.routingGroup(), view.currentCluster().orElse("(none)"));
                deps.auditLog().record(rollout.actor(), "ROLLING_RESTART_RESUME", rollout.routingGroup(), ImmutableMap.of(
                        "resumedBy", store.owner(),
                        "currentCluster", view.currentCluster().orElse("")));
                executor.execute(new RolloutRunner(rollout, deps));
            }
        }
        catch (RuntimeException e) {
            // MySQL unreachable: the next round tries again
            log.debug(e, "Cannot look for rolling restarts to resume");
        }
    }

    private static GatewayException alreadyRunning(RolloutView running)
    {
        return new GatewayException(CONFLICT, "A rolling restart of routing group " + running.routingGroup() + " is already running (started by " +
                running.startedBy() + " " + running.elapsedSeconds() + "s ago, run by " + running.runBy().orElse("no replica at the moment; one resumes it shortly") +
                "): GET /api/v1/routing-groups/" + running.routingGroup() + "/rolling-restart");
    }

    private void checkCanStart(String routingGroup, List<String> accepting, Map<String, String> skipped, boolean force)
    {
        String others = skipped.isEmpty() ? "" : "; not accepting: " + skipped.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                .collect(toImmutableList());
        if (accepting.isEmpty()) {
            throw new GatewayException(CONFLICT, "Routing group " + routingGroup + " has no cluster accepting new queries" + others);
        }
        if (accepting.size() < 2 && !force) {
            throw new GatewayException(CONFLICT, "Routing group " + routingGroup + " has only " + accepting.size() + " cluster accepting new queries (" +
                    String.join(", ", accepting) + others + "): while it restarts, the group's new queries would fail. " +
                    "Add a cluster to the group first, or pass force=true to restart it anyway");
        }
        List<String> unreported = accepting.stream()
                .filter(name -> deps.statuses().status(name).flatMap(status -> status.report().coordinatorStartedAt()).isEmpty())
                .collect(toImmutableList());
        if (!unreported.isEmpty()) {
            throw new GatewayException(CONFLICT, "No router plugin report from " + String.join(", ", unreported) +
                    ": a rolling restart needs plugin-router on every coordinator of the group to know when a cluster is drained and restarted");
        }
    }

    private static String whySkipped(Cluster cluster)
    {
        return cluster.active() ? "desired state " + cluster.desiredState() : "deactivated";
    }
}
