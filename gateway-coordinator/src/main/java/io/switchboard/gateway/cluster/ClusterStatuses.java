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
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.store.status.ClusterStatus;
import io.switchboard.store.status.ClusterStatusDao;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * What each cluster's router plugin last reported (drain state, load, coordinator start time),
 * read from {@code cluster_status} in the background. When a coordinator's start time changes,
 * the queries it never completed are marked LOST. The plugins' counts of queries per user and
 * source feed admission control ({@link #queryCounts()}).
 */
public class ClusterStatuses
{
    private static final Logger log = Logger.get(ClusterStatuses.class);

    private final GatewayDatabase database;
    private final ClusterStatusDao dao;
    private final long refreshMillis;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("cluster-status-refresh"));
    private final Map<String, Instant> knownStarts = new HashMap<>();
    private volatile Reports reports = new Reports(ImmutableMap.of(), Instant.EPOCH);
    private volatile List<ReportedQueryCounts> queryCounts = ImmutableList.of();

    /**
     * The reports, and the database's clock when they were read (heartbeats carry that clock).
     */
    private record Reports(Map<String, ClusterStatus> byCluster, Instant readAt) {}

    @Inject
    public ClusterStatuses(GatewayDatabase database, ClusterStatusDao dao, ClusterConfig config)
    {
        this.database = requireNonNull(database, "database is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.refreshMillis = config.getRefreshInterval().toMillis();
    }

    @PostConstruct
    public void start()
    {
        refresher.scheduleWithFixedDelay(this::refresh, 0, refreshMillis, MILLISECONDS);
    }

    @PreDestroy
    public void stop()
    {
        refresher.shutdownNow();
    }

    public Optional<ClusterStatus> status(String clusterName)
    {
        return Optional.ofNullable(reports.byCluster().get(clusterName));
    }

    /**
     * The cluster's latest report, if it is younger than {@code maxAge}.
     */
    public Optional<ClusterStatus> freshStatus(String clusterName, Duration maxAge)
    {
        Reports current = reports;
        return Optional.ofNullable(current.byCluster().get(clusterName))
                .filter(status -> !status.heartbeatAt().plus(maxAge).isBefore(current.readAt()));
    }

    /**
     * The query counts per user and source of every cluster whose router plugin reports them,
     * whatever the age of the heartbeat; a new list after each read of {@code cluster_status}.
     */
    public List<ReportedQueryCounts> queryCounts()
    {
        return queryCounts;
    }

    synchronized void refresh()
    {
        try {
            if (!database.ensureSchema()) {
                return;
            }
            long readNanos = System.nanoTime();
            Instant now = dao.databaseNow();
            Map<String, ClusterStatus> statuses = dao.list().stream()
                    .collect(toImmutableMap(status -> status.report().clusterName(), status -> status));
            reports = new Reports(statuses, now);
            queryCounts = statuses.values().stream()
                    .filter(status -> status.report().queryCounts().isPresent())
                    .map(status -> new ReportedQueryCounts(
                            status.report().clusterName(),
                            // the heartbeat's age by the database's clock, on this gateway's clock
                            readNanos - Duration.between(status.heartbeatAt(), now).toNanos(),
                            status.report().queryCounts().get()))
                    .collect(toImmutableList());
            statuses.values().forEach(this::detectRestart);
        }
        catch (RuntimeException e) {
            log.warn("Cannot read cluster status from MySQL, keeping the last reports: %s", e.getMessage());
        }
    }

    private void detectRestart(ClusterStatus status)
    {
        String cluster = status.report().clusterName();
        Optional<Instant> started = status.report().coordinatorStartedAt();
        if (started.isEmpty() || started.get().equals(knownStarts.get(cluster))) {
            return;
        }
        // first sight after this gateway started, or a new coordinator: either way, what the
        // previous coordinator never completed is lost (idempotent across gateway replicas)
        int lost = dao.markQueriesLost(cluster, started.get());
        if (lost > 0) {
            log.warn("Cluster %s: coordinator started at %s; %s queries it never completed are marked LOST", cluster, started.get(), lost);
        }
        knownStarts.put(cluster, started.get());
    }
}
