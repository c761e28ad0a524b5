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
import io.switchboard.gateway.audit.Actor;
import io.switchboard.gateway.audit.AuditLog;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterAdmin;
import io.switchboard.gateway.cluster.ClusterConfig;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.gateway.notify.Notifier;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static io.switchboard.gateway.api.ApiErrors.apiError;
import static jakarta.ws.rs.core.Response.Status.CONFLICT;
import static jakarta.ws.rs.core.Response.Status.NOT_FOUND;
import static java.util.Objects.requireNonNull;

/**
 * Starts rolling restarts of routing groups, one at a time per group, each on a thread of its
 * own, and keeps the latest one of every group in memory (a gateway restart forgets them).
 */
public class RollingRestarts
{
    private final RolloutConfig config;
    private final RolloutRunner.Dependencies deps;
    private final Map<String, Rollout> latest = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreadsNamed("rolling-restart-%s"));

    @Inject
    public RollingRestarts(
            RolloutConfig config,
            ClusterConfig clusterConfig,
            ClusterRegistry registry,
            ClusterAdmin admin,
            ClusterStatuses statuses,
            ClusterHealthMonitor health,
            Notifier notifier,
            AuditLog auditLog)
    {
        this.config = requireNonNull(config, "config is null");
        // other gateway replicas re-read the clusters table every refresh interval
        Duration routingGrace = Duration.ofMillis(2 * clusterConfig.getRefreshInterval().toMillis());
        this.deps = new RolloutRunner.Dependencies(registry, admin, statuses, health, notifier, auditLog,
                Duration.ofMillis(config.getPollInterval().toMillis()), routingGrace);
    }

    @PreDestroy
    public void stop()
    {
        executor.shutdownNow();
    }

    public RolloutConfig config()
    {
        return config;
    }

    public synchronized RolloutView start(String routingGroup, RolloutOptions options, Actor actor)
    {
        Rollout previous = latest.get(routingGroup);
        if (previous != null && previous.isRunning()) {
            throw apiError(CONFLICT, "A rolling restart of routing group " + routingGroup + " is already running (started by " +
                    previous.actor().name() + " " + previous.elapsed().toSeconds() + "s ago): GET /api/v1/routing-groups/" + routingGroup + "/rolling-restart");
        }
        List<Cluster> group = deps.registry().all().stream().filter(cluster -> cluster.routingGroup().equals(routingGroup)).collect(toImmutableList());
        if (group.isEmpty()) {
            throw apiError(NOT_FOUND, "Routing group " + routingGroup + " has no clusters");
        }
        List<String> accepting = group.stream().filter(Cluster::acceptsNewQueries).map(Cluster::name).collect(toImmutableList());
        Map<String, String> skipped = group.stream()
                .filter(cluster -> !cluster.acceptsNewQueries())
                .collect(toImmutableMap(Cluster::name, RollingRestarts::whySkipped));
        checkCanStart(routingGroup, accepting, skipped, options.force());
        Rollout rollout = new Rollout(routingGroup, actor, options, accepting, skipped);
        deps.auditLog().record(actor, "ROLLING_RESTART_START", routingGroup, ImmutableMap.of(
                "clusters", accepting,
                "skipped", skipped,
                "drainTimeout", options.drainTimeout().toString(),
                "restartTimeout", options.restartTimeout().toString(),
                "force", options.force()));
        latest.put(routingGroup, rollout);
        executor.execute(new RolloutRunner(rollout, accepting, deps));
        return rollout.view();
    }

    public Optional<RolloutView> latest(String routingGroup)
    {
        return Optional.ofNullable(latest.get(routingGroup)).map(Rollout::view);
    }

    private void checkCanStart(String routingGroup, List<String> accepting, Map<String, String> skipped, boolean force)
    {
        String others = skipped.isEmpty() ? "" : "; not accepting: " + skipped.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                .collect(toImmutableList());
        if (accepting.isEmpty()) {
            throw apiError(CONFLICT, "Routing group " + routingGroup + " has no cluster accepting new queries" + others);
        }
        if (accepting.size() < 2 && !force) {
            throw apiError(CONFLICT, "Routing group " + routingGroup + " has only " + accepting.size() + " cluster accepting new queries (" +
                    String.join(", ", accepting) + others + "): while it restarts, the group's new queries would fail. " +
                    "Add a cluster to the group first, or pass force=true to restart it anyway");
        }
        List<String> unreported = accepting.stream()
                .filter(name -> deps.statuses().status(name).flatMap(status -> status.report().coordinatorStartedAt()).isEmpty())
                .collect(toImmutableList());
        if (!unreported.isEmpty()) {
            throw apiError(CONFLICT, "No router plugin report from " + String.join(", ", unreported) +
                    ": a rolling restart needs plugin-router on every coordinator of the group to know when a cluster is drained and restarted");
        }
    }

    private static String whySkipped(Cluster cluster)
    {
        return cluster.active() ? "desired state " + cluster.desiredState() : "deactivated";
    }
}
