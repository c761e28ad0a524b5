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
package io.switchboard.gateway.proxy;

import com.google.common.collect.ImmutableMap;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.proxy.TrinoErrors.Kind;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * What the proxy counts on its hot path: {@link LongAdder} increments into objects resolved once
 * per request (by the request's kind, the error's kind, and the cluster's name, which the
 * cluster already holds: nothing is built to look them up). The metrics endpoint reads them.
 */
public class ProxyMetrics
{
    /**
     * The kinds of request the proxy tells apart by their path.
     */
    public enum RequestType
    {
        /** {@code POST /v1/statement}: a new query */
        SUBMIT,
        /** a request with the cluster in its path: a poll, a cancel, a spooled segment of a running query */
        FOLLOW_UP,
        /** a poll or cancel of a query waiting in the gateway's admission queue */
        QUEUED,
        /** a request naming a query id without a cluster, found in memory or by asking MySQL and the clusters */
        QUERY_ID,
        /** a request any cluster can answer ({@code GET /v1/info}), or one no cluster can */
        OTHER,
    }

    private final Map<RequestType, LongAdder> requests = counters(RequestType.class);
    private final Map<Kind, LongAdder> errors = counters(Kind.class);
    private final Map<String, ClusterStats> clusters = new ConcurrentHashMap<>();

    private static <E extends Enum<E>> Map<E, LongAdder> counters(Class<E> type)
    {
        Map<E, LongAdder> counters = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            counters.put(constant, new LongAdder());
        }
        return counters;
    }

    void request(RequestType type)
    {
        requests.get(type).increment();
    }

    void error(Kind kind)
    {
        errors.get(kind).increment();
    }

    /**
     * The counters of a cluster: those already made for it, unless it moved to another routing
     * group (its series then start again under the new group's label).
     */
    ClusterStats cluster(Cluster cluster)
    {
        ClusterStats stats = clusters.get(cluster.name());
        if (stats != null && stats.group.equals(cluster.routingGroup())) {
            return stats;
        }
        return clusters.compute(cluster.name(), (name, existing) ->
                existing != null && existing.group.equals(cluster.routingGroup()) ? existing : new ClusterStats(name, cluster.routingGroup()));
    }

    /**
     * Drops the counters of clusters no longer configured (their series end).
     */
    public void retainClusters(Set<String> names)
    {
        clusters.keySet().retainAll(names);
    }

    public Map<String, Long> requestsByType()
    {
        return sums(requests);
    }

    public Map<String, Long> errorsByKind()
    {
        return sums(errors);
    }

    public Collection<ClusterStats> clusters()
    {
        return clusters.values();
    }

    private static <E extends Enum<E>> Map<String, Long> sums(Map<E, LongAdder> counters)
    {
        ImmutableMap.Builder<String, Long> sums = ImmutableMap.builder();
        counters.forEach((key, counter) -> sums.put(key.name().toLowerCase(ENGLISH), counter.sum()));
        return sums.buildOrThrow();
    }

    /**
     * One cluster's traffic as the proxy sees it.
     */
    public static final class ClusterStats
    {
        private final String cluster;
        private final String group;
        private final LongAdder submits = new LongAdder();
        private final LongAdder bytesToCluster = new LongAdder();
        private final LongAdder bytesToClient = new LongAdder();
        private final LatencyHistogram submitLatency = new LatencyHistogram();
        private final LatencyHistogram followUpLatency = new LatencyHistogram();

        ClusterStats(String cluster, String group)
        {
            this.cluster = requireNonNull(cluster, "cluster is null");
            this.group = requireNonNull(group, "group is null");
        }

        /**
         * A new query the cluster answered, that many nanoseconds after the gateway began to read it.
         */
        void submitted(long nanos)
        {
            submits.increment();
            submitLatency.add(nanos);
        }

        /**
         * A response of the cluster to any other request of a query, after that many nanoseconds.
         */
        void answered(long nanos)
        {
            followUpLatency.add(nanos);
        }

        void sentToCluster(long bytes)
        {
            bytesToCluster.add(bytes);
        }

        void sentToClient(long bytes)
        {
            bytesToClient.add(bytes);
        }

        public String cluster()
        {
            return cluster;
        }

        public String group()
        {
            return group;
        }

        public long submits()
        {
            return submits.sum();
        }

        public long bytesToCluster()
        {
            return bytesToCluster.sum();
        }

        public long bytesToClient()
        {
            return bytesToClient.sum();
        }

        public LatencyHistogram.Snapshot submitLatency()
        {
            return submitLatency.snapshot();
        }

        public LatencyHistogram.Snapshot followUpLatency()
        {
            return followUpLatency.snapshot();
        }
    }
}
