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

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The clusters of the most recent queries, at most {@code capacity} of them, in two generations
 * of half the capacity each. New queries go into the young generation; when it is full, it
 * becomes the old one and the old one is dropped. A query found in the old generation moves to
 * the young one, so a query that is still looked at outlives the queries submitted after it.
 * <p>
 * A put is one hash map insert: every new query makes one, and an LRU cache's upkeep (Caffeine's
 * admission and eviction) was 4% of the gateway's CPU on submits.
 */
public final class RecentQueryClusters
{
    private final int generationSize;
    private volatile Generations generations;

    private record Generations(Map<String, String> young, Map<String, String> old)
    {
        Generations
        {
            requireNonNull(young, "young is null");
            requireNonNull(old, "old is null");
        }
    }

    public RecentQueryClusters(int capacity)
    {
        checkArgument(capacity >= 2, "capacity must be at least 2");
        this.generationSize = capacity / 2;
        this.generations = new Generations(newGeneration(), Map.of());
    }

    public void put(String queryId, String clusterName)
    {
        Generations current = generations;
        if (current.young().put(queryId, clusterName) == null && current.young().size() >= generationSize) {
            rotate(current);
        }
    }

    public Optional<String> get(String queryId)
    {
        Generations current = generations;
        String clusterName = current.young().get(queryId);
        if (clusterName == null) {
            clusterName = current.old().get(queryId);
            if (clusterName != null) {
                put(queryId, clusterName);
            }
        }
        return Optional.ofNullable(clusterName);
    }

    private synchronized void rotate(Generations full)
    {
        // another thread may have rotated since this one saw the young generation full
        if (generations == full) {
            generations = new Generations(newGeneration(), full.young());
        }
    }

    private ConcurrentHashMap<String, String> newGeneration()
    {
        // sized for a whole generation: growing it step by step would rehash it again and again
        return new ConcurrentHashMap<>(generationSize);
    }
}
