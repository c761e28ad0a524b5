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
import io.switchboard.gateway.health.ClusterHealthMonitor;

import java.util.List;
import java.util.Optional;
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
    private final RoutingConfig.SelectionPolicy policy;
    private final ConcurrentHashMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();

    @Inject
    public ClusterSelector(ClusterRegistry registry, ClusterHealthMonitor health, RoutingConfig config)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.health = requireNonNull(health, "health is null");
        this.policy = config.getPolicy();
    }

    public Optional<Cluster> select(String routingGroup)
    {
        List<Cluster> candidates = health.routable(registry.accepting(routingGroup));
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (candidates.size() == 1) {
            return Optional.of(candidates.getFirst());
        }
        return Optional.of(switch (policy) {
            case ROUND_ROBIN -> roundRobin(routingGroup, candidates);
            case WEIGHTED -> weighted(candidates);
        });
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
