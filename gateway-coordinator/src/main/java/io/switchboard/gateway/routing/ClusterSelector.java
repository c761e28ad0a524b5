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
package io.switchboard.gateway.routing;

import com.google.inject.Inject;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.cluster.ClusterStatuses;
import io.switchboard.gateway.health.ClusterHealthMonitor;
import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Picks the cluster of a routing group for a new query, among those accepting new queries and
 * healthy (or, when none is, not checked yet).
 * Reads only the in-memory cluster snapshot: a decision costs well under a microsecond.
 */
public class ClusterSelector
{
    private final ClusterRegistry registry;
    private final ClusterHealthMonitor health;
    private final ClusterStatuses statuses;
    private final RoutingConfig.SelectionPolicy policy;
    private final Duration loadMaxAge;
    private final ConcurrentHashMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SentSince> sentSinceHeartbeat = new ConcurrentHashMap<>();

    /**
     * Queries this gateway placed on a cluster since the heartbeat it last reported.
     */
    private record SentSince(Instant heartbeatAt, AtomicInteger count) {}

    @Inject
    public ClusterSelector(ClusterRegistry registry, ClusterHealthMonitor health, ClusterStatuses statuses, RoutingConfig config)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.health = requireNonNull(health, "health is null");
        this.statuses = requireNonNull(statuses, "statuses is null");
        this.policy = config.getPolicy();
        this.loadMaxAge = Duration.ofMillis(config.getLoadMaxAge().toMillis());
    }

    public Optional<Cluster> select(String routingGroup)
    {
        return select(routingGroup, Set.of());
    }

    /**
     * The clusters {@link #select} would choose among, without choosing: what a dry run shows.
     */
    public List<Cluster> candidates(String routingGroup)
    {
        return candidates(routingGroup, Set.of());
    }

    /**
     * Selects among the group's clusters except the excluded ones (those a submission already failed to reach).
     */
    public Optional<Cluster> select(String routingGroup, Set<String> excluded)
    {
        return select(routingGroup, Optional.empty(), excluded);
    }

    /**
     * Selects among the group's clusters of the engine whose protocol the client speaks.
     */
    public Optional<Cluster> select(String routingGroup, ClusterKind protocol, Set<String> excluded)
    {
        return select(routingGroup, Optional.of(protocol), excluded);
    }

    private Optional<Cluster> select(String routingGroup, Optional<ClusterKind> protocol, Set<String> excluded)
    {
        List<Cluster> candidates = candidates(routingGroup, excluded);
        if (protocol.isPresent()) {
            candidates = candidates.stream().filter(cluster -> cluster.kind() == protocol.get()).toList();
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Cluster selected = candidates.size() == 1 ? candidates.getFirst() : switch (policy) {
            case LEAST_LOADED -> leastLoaded(routingGroup, candidates);
            case ROUND_ROBIN -> roundRobin(routingGroup, candidates);
            case WEIGHTED -> weighted(candidates);
        };
        countSent(selected);
        return Optional.of(selected);
    }

    private List<Cluster> candidates(String routingGroup, Set<String> excluded)
    {
        // the clusters that cannot take the query go first, so that a cluster not checked yet
        // is chosen when none of the healthy ones can
        return health.routable(registry.accepting(routingGroup).stream()
                .filter(cluster -> !excluded.contains(cluster.name()))
                .filter(this::notShuttingDown)
                .toList());
    }

    /**
     * A coordinator drained locally (drain file) reports SHUTTING_DOWN or DRAINED before the
     * operator tells the gateway: it would reject the query.
     */
    private boolean notShuttingDown(Cluster cluster)
    {
        return statuses.freshStatus(cluster.name(), loadMaxAge)
                .map(status -> status.report().state() == ClusterState.ACTIVE)
                .orElse(true);
    }

    /**
     * The cluster with the fewest running and queued queries by its latest heartbeat, plus what
     * this gateway sent it since; round-robin when any heartbeat is stale or missing.
     */
    private Cluster leastLoaded(String routingGroup, List<Cluster> candidates)
    {
        long[] loads = new long[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            Optional<ClusterStatus> status = statuses.freshStatus(candidates.get(i).name(), loadMaxAge);
            if (status.isEmpty()) {
                return roundRobin(routingGroup, candidates);
            }
            loads[i] = status.get().report().runningQueries() + status.get().report().queuedQueries() + sentSince(candidates.get(i).name(), status.get().heartbeatAt());
        }
        // among equally loaded clusters, rotate
        int start = Math.floorMod(counters.computeIfAbsent(routingGroup, _ -> new AtomicInteger()).getAndIncrement(), candidates.size());
        int best = start;
        for (int offset = 1; offset < candidates.size(); offset++) {
            int index = (start + offset) % candidates.size();
            if (loads[index] < loads[best]) {
                best = index;
            }
        }
        return candidates.get(best);
    }

    private long sentSince(String clusterName, Instant heartbeatAt)
    {
        SentSince sent = sentSinceHeartbeat.get(clusterName);
        return sent != null && sent.heartbeatAt().equals(heartbeatAt) ? sent.count().get() : 0;
    }

    private void countSent(Cluster cluster)
    {
        Optional<Instant> heartbeatAt = statuses.status(cluster.name()).map(ClusterStatus::heartbeatAt);
        if (heartbeatAt.isEmpty()) {
            return;
        }
        sentSinceHeartbeat.compute(cluster.name(), (_, sent) -> sent != null && sent.heartbeatAt().equals(heartbeatAt.get()) ? sent : new SentSince(heartbeatAt.get(), new AtomicInteger()))
                .count().incrementAndGet();
    }

    private Cluster roundRobin(String routingGroup, List<Cluster> candidates)
    {
        int next = counters.computeIfAbsent(routingGroup, _ -> new AtomicInteger()).getAndIncrement();
        return candidates.get(Math.floorMod(next, candidates.size()));
    }

    private static Cluster weighted(List<Cluster> candidates)
    {
        int total = 0;
        for (Cluster cluster : candidates) {
            total += cluster.weight();
        }
        int point = ThreadLocalRandom.current().nextInt(total);
        for (Cluster cluster : candidates) {
            point -= cluster.weight();
            if (point < 0) {
                return cluster;
            }
        }
        return candidates.getLast();
    }
}
