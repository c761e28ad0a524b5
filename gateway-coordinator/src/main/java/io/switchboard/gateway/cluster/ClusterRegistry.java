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
package io.switchboard.gateway.cluster;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.store.cluster.ClusterDao;
import io.switchboard.store.cluster.ClusterRecord;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableListMultimap.toImmutableListMultimap;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * The clusters the gateway knows, as an immutable snapshot read from MySQL every few seconds.
 * Routing reads only the snapshot: no database call on the request path, and when MySQL is
 * unreachable the gateway keeps routing with what it last knew.
 */
public class ClusterRegistry
{
    private static final Logger log = Logger.get(ClusterRegistry.class);

    private final GatewayDatabase database;
    private final ClusterDao dao;
    private final long refreshMillis;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("cluster-refresh"));
    private final long removedGraceMillis;
    private final Map<String, Removed> removed = new ConcurrentHashMap<>();
    private final Map<String, String> unusable = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(List.of());
    // whether the last read of the clusters table succeeded, and whether any ever did
    private volatile boolean mysqlReachable;
    private volatile boolean loaded;

    private record Removed(Cluster cluster, long removedAtMillis) {}

    @Inject
    public ClusterRegistry(GatewayDatabase database, ClusterDao dao, ClusterConfig config)
    {
        this.database = requireNonNull(database, "database is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.refreshMillis = config.getRefreshInterval().toMillis();
        this.removedGraceMillis = config.getRemovedGracePeriod().toMillis();
    }

    @PostConstruct
    public void start()
    {
        refresh();
        refresher.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, MILLISECONDS);
    }

    @PreDestroy
    public void stop()
    {
        refresher.shutdownNow();
    }

    public synchronized void refresh()
    {
        try {
            if (database.ensureSchema()) {
                Snapshot previous = snapshot;
                snapshot = new Snapshot(dao.list().stream().flatMap(record -> usable(record).stream()).collect(toImmutableList()));
                retireRemoved(previous, snapshot);
                mysqlReachable = true;
                loaded = true;
                return;
            }
            mysqlReachable = false;
        }
        catch (RuntimeException e) {
            mysqlReachable = false;
            log.warn("Cannot read clusters from MySQL, routing with the last known %s clusters: %s", snapshot.clusters().size(), e.getMessage());
        }
    }

    /**
     * A row written by hand or by an older gateway may hold a URL no HTTP client can call: such a
     * cluster is left out (and said so once) instead of failing every request and probe.
     */
    private Optional<Cluster> usable(ClusterRecord record)
    {
        try {
            ClusterSpec.checkUrl("proxyUrl", record.proxyUrl());
            ClusterSpec.checkUrl("externalUrl", record.externalUrl());
            unusable.remove(record.name());
            return Optional.of(Cluster.fromRecord(record));
        }
        catch (IllegalArgumentException e) {
            if (!e.getMessage().equals(unusable.put(record.name(), e.getMessage()))) {
                log.warn("Cluster %s in the clusters table is ignored: %s. Correct it with PUT /api/v1/clusters/%s", record.name(), e.getMessage(), record.name());
            }
            return Optional.empty();
        }
    }

    private void retireRemoved(Snapshot previous, Snapshot current)
    {
        long now = System.currentTimeMillis();
        for (Cluster cluster : previous.clusters()) {
            if (!current.byName().containsKey(cluster.name())) {
                removed.putIfAbsent(cluster.name(), new Removed(cluster, now));
            }
        }
        removed.keySet().removeIf(name -> current.byName().containsKey(name));
        removed.values().removeIf(entry -> now - entry.removedAtMillis() > removedGraceMillis);
    }

    /**
     * Whether the last read of the clusters from MySQL succeeded.
     */
    public boolean isMysqlReachable()
    {
        return mysqlReachable;
    }

    /**
     * Whether the clusters were ever read from MySQL: if not, routing has nothing to go by.
     */
    public boolean isLoaded()
    {
        return loaded;
    }

    public ClusterDao dao()
    {
        return dao;
    }

    public List<Cluster> all()
    {
        return snapshot.clusters();
    }

    public Optional<Cluster> get(String name)
    {
        return Optional.ofNullable(snapshot.byName().get(name));
    }

    /**
     * Where requests of a query running on the named cluster go: a configured cluster, or one
     * deleted less than {@code clusters.removed-grace-period} ago, so that its queries in flight
     * can finish.
     */
    public Optional<Cluster> forwardingTarget(String name)
    {
        Cluster cluster = snapshot.byName().get(name);
        if (cluster != null) {
            return Optional.of(cluster);
        }
        Removed retired = removed.get(name);
        if (retired == null || System.currentTimeMillis() - retired.removedAtMillis() > removedGraceMillis) {
            return Optional.empty();
        }
        return Optional.of(retired.cluster());
    }

    /**
     * The clusters of a routing group that accept new queries, in name order.
     */
    public List<Cluster> accepting(String routingGroup)
    {
        return snapshot.acceptingByGroup().get(routingGroup);
    }

    private record Snapshot(List<Cluster> clusters, ImmutableMap<String, Cluster> byName, ImmutableListMultimap<String, Cluster> acceptingByGroup)
    {
        Snapshot(List<Cluster> clusters)
        {
            this(
                    ImmutableList.copyOf(clusters),
                    clusters.stream().collect(toImmutableMap(Cluster::name, cluster -> cluster)),
                    clusters.stream()
                            .filter(Cluster::acceptsNewQueries)
                            .collect(toImmutableListMultimap(Cluster::routingGroup, cluster -> cluster)));
        }
    }
}
