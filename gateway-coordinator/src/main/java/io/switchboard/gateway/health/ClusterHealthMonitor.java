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
package io.switchboard.gateway.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterConfig;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.health.HealthTracker.Change;
import io.switchboard.gateway.notify.ClusterEvent;
import io.switchboard.gateway.notify.Notifier;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.store.health.HealthState;
import io.switchboard.store.health.HealthTransition;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static io.switchboard.store.health.HealthState.HEALTHY;
import static io.switchboard.store.health.HealthState.MISCONFIGURED;
import static io.switchboard.store.health.HealthState.PENDING;
import static io.switchboard.store.health.HealthState.UNHEALTHY;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Knows the health of every cluster: probes each one every {@code health.check-interval}, hears
 * from the proxy about refused connections, records transitions in MySQL and notifies operators.
 * Routing asks {@link #routable(List)}: an in-memory read, no I/O.
 */
public class ClusterHealthMonitor
{
    private static final Logger log = Logger.get(ClusterHealthMonitor.class);

    private final ClusterRegistry registry;
    private final Notifier notifier;
    private final HealthHistoryWriter history;
    private final ClusterProber prober;
    private final String gatewayId;
    private final int failureThreshold;
    private final int successThreshold;
    private final long intervalNanos;
    private final long tickMillis;
    private final ConcurrentHashMap<String, HealthTracker> trackers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("health-check"));

    @Inject
    public ClusterHealthMonitor(HealthConfig config, ClusterConfig clusterConfig, GatewayReplica replica, ClusterRegistry registry, HealthHistoryWriter history, Notifier notifier, ObjectMapper mapper)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.notifier = requireNonNull(notifier, "notifier is null");
        this.history = requireNonNull(history, "history is null");
        this.prober = new ClusterProber(Duration.ofMillis(config.getTimeout().toMillis()), clusterConfig.isAllowLinkLocalAddresses(), mapper);
        this.gatewayId = replica.id();
        this.failureThreshold = config.getFailureThreshold();
        this.successThreshold = config.getSuccessThreshold();
        this.intervalNanos = config.getCheckInterval().roundTo(NANOSECONDS);
        // new clusters are probed within a tick of being registered, not a whole interval later
        this.tickMillis = Math.clamp(config.getCheckInterval().toMillis(), 50, 500);
    }

    @PostConstruct
    public void start()
    {
        history.start();
        scheduler.scheduleWithFixedDelay(this::checkDue, 0, tickMillis, MILLISECONDS);
    }

    @PreDestroy
    public void stop()
            throws Exception
    {
        scheduler.shutdownNow();
        prober.close();
        history.stop();
    }

    /**
     * Whether new queries may go to this cluster: HEALTHY, or PENDING (not probed yet).
     * {@link #routable(List)} prefers HEALTHY clusters to PENDING ones.
     */
    public boolean isRoutable(String clusterName)
    {
        HealthState state = state(clusterName);
        return state == HEALTHY || state == PENDING;
    }

    /**
     * The candidates that may take a new query: the HEALTHY ones, or if there are none the
     * PENDING ones (registered but not probed yet), or none.
     */
    public List<Cluster> routable(List<Cluster> candidates)
    {
        boolean allHealthy = true;
        for (Cluster candidate : candidates) {
            allHealthy &= state(candidate.name()) == HEALTHY;
        }
        if (allHealthy) {
            return candidates;
        }
        List<Cluster> healthy = withState(candidates, HEALTHY);
        return healthy.isEmpty() ? withState(candidates, PENDING) : healthy;
    }

    /**
     * Called by the proxy when a connection to a cluster is refused or reset: the cluster is
     * UNHEALTHY at once. Other failures (a slow query's idle timeout) are left to the probes.
     */
    public void reportConnectionFailure(String clusterName, Throwable cause)
    {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(cause, "cause is null");
        HealthTracker tracker = trackers.get(clusterName);
        if (tracker == null || !ClusterProber.isConnectionFailure(cause)) {
            log.debug(cause, "Not a connection failure of %s, left to the health check", clusterName);
            return;
        }
        tracker.unreachable("forwarding a request failed: " + ClusterProber.describe(cause), Instant.now())
                .ifPresent(change -> transitioned(clusterName, change));
    }

    public ClusterHealth health(String clusterName)
    {
        HealthTracker tracker = trackers.get(clusterName);
        return tracker == null ? ClusterHealth.pending() : tracker.view();
    }

    /**
     * The health of every registered cluster, by name.
     */
    public Map<String, ClusterHealth> all()
    {
        ImmutableMap.Builder<String, ClusterHealth> all = ImmutableMap.builder();
        for (Cluster cluster : registry.all()) {
            all.put(cluster.name(), health(cluster.name()));
        }
        return all.buildOrThrow();
    }

    /**
     * The cluster's transitions as every gateway replica recorded them in MySQL, newest first.
     */
    public List<HealthTransition> history(String clusterName, int limit)
    {
        return history.dao().history(clusterName, limit);
    }

    private HealthState state(String clusterName)
    {
        HealthTracker tracker = trackers.get(clusterName);
        return tracker == null ? PENDING : tracker.state();
    }

    private List<Cluster> withState(List<Cluster> candidates, HealthState state)
    {
        return candidates.stream().filter(cluster -> state(cluster.name()) == state).collect(toImmutableList());
    }

    private void checkDue()
    {
        try {
            List<Cluster> clusters = registry.all();
            forgetRemoved(clusters);
            long now = System.nanoTime();
            for (Cluster cluster : clusters) {
                HealthTracker tracker = trackers.computeIfAbsent(cluster.name(), _ -> new HealthTracker(failureThreshold, successThreshold));
                if (tracker.tryStartProbe(now, intervalNanos)) {
                    prober.probe(cluster).thenAccept(result -> tracker.probed(result, Instant.now())
                            .ifPresent(change -> transitioned(cluster.name(), change)));
                }
            }
        }
        catch (RuntimeException e) {
            log.error(e, "Health check round failed");
        }
    }

    private void forgetRemoved(List<Cluster> clusters)
    {
        Set<String> names = clusters.stream().map(Cluster::name).collect(toImmutableSet());
        trackers.keySet().removeIf(name -> {
            if (names.contains(name)) {
                return false;
            }
            notifier.forget(name);
            return true;
        });
    }

    private void transitioned(String clusterName, Change change)
    {
        Instant now = Instant.now();
        if (change.to() == HEALTHY) {
            log.info("Cluster %s is HEALTHY (was %s)", clusterName, change.from());
        }
        else {
            log.warn("Cluster %s is %s (was %s): %s", clusterName, change.to(), change.from(), change.reason());
        }
        history.add(new HealthTransition(clusterName, now, change.from(), change.to(), change.reason(), gatewayId));
        event(clusterName, change, now).ifPresent(notifier::notify);
    }

    private static Optional<ClusterEvent> event(String clusterName, Change change, Instant now)
    {
        Map<String, String> details = ImmutableMap.of("previousState", change.from().name(), "state", change.to().name(), "reason", change.reason());
        return switch (change.to()) {
            case UNHEALTHY -> Optional.of(new ClusterEvent(clusterName, ClusterEvent.Type.UNHEALTHY, "cluster is UNHEALTHY: " + change.reason(), now, details));
            case MISCONFIGURED -> Optional.of(new ClusterEvent(clusterName, ClusterEvent.Type.MISCONFIGURED, "cluster is MISCONFIGURED: " + change.reason(), now, details));
            case HEALTHY -> change.from() == UNHEALTHY || change.from() == MISCONFIGURED
                    ? Optional.of(new ClusterEvent(clusterName, ClusterEvent.Type.RECOVERED, "cluster is HEALTHY again (was " + change.from() + ")", now, details))
                    : Optional.empty();
            case PENDING -> Optional.empty();
        };
    }
}
