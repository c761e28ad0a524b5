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
package io.switchboard.plugin.router;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.store.plugin.MemberClusterConfig;
import io.switchboard.store.plugin.SchemaGate;
import io.switchboard.store.status.ClusterState;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.store.status.StatusReport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.switchboard.store.status.ClusterState.DRAINED;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Every heartbeat interval, on two threads of its own: one moves the drain state from what is in
 * memory (the last desired state read, the drain file, the coordinator's JMX load) and never waits
 * for MySQL; the other reads {@code clusters.desired_state}, moves the state at once, and writes the
 * status to {@code cluster_status}, with the unfinished queries per user and source that
 * {@link RunningQueries} counted. MySQL failures are logged once per outage and change nothing
 * else: the last known desired state stands and the cluster keeps serving. So does a database
 * without the schema this plugin needs, until the gateway has migrated it: the second thread
 * then neither reads nor writes.
 */
public class Heartbeat
{
    private static final Logger log = Logger.get(Heartbeat.class);

    private final RouterConfig config;
    private final String clusterName;
    private final DrainStateMachine stateMachine;
    private final CoordinatorMetrics metrics;
    private final ClusterStatusDao dao;
    private final DrainRequests drainRequests;
    private final OpenTransactions openTransactions;
    private final ProcessExit exit;
    private final RunningQueries runningQueries;
    private final RouterStats stats;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, new ThreadFactoryBuilder()
            .setNameFormat("switchboard-router-heartbeat-%s")
            .setDaemon(true)
            .build());
    private final SchemaGate schema;
    private boolean reportFailing;
    private ClusterState lastLoggedState = ClusterState.ACTIVE;

    @Inject
    public Heartbeat(
            RouterConfig config,
            MemberClusterConfig cluster,
            DrainStateMachine stateMachine,
            CoordinatorMetrics metrics,
            ClusterStatusDao dao,
            DrainRequests drainRequests,
            OpenTransactions openTransactions,
            SchemaGate schema,
            RunningQueries runningQueries,
            RouterStats stats,
            ProcessExit exit)
    {
        this.config = requireNonNull(config, "config is null");
        this.clusterName = cluster.getClusterName();
        this.stateMachine = requireNonNull(stateMachine, "stateMachine is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.drainRequests = requireNonNull(drainRequests, "drainRequests is null");
        this.openTransactions = requireNonNull(openTransactions, "openTransactions is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.exit = requireNonNull(exit, "exit is null");
    }

    @PostConstruct
    public void start()
    {
        log.info("Switchboard router for cluster %s reports to MySQL every %s", clusterName, config.getHeartbeatInterval());
        long interval = config.getHeartbeatInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> guarded(this::evaluate), interval, interval, MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> guarded(this::sync), 0, interval, MILLISECONDS);
    }

    @PreDestroy
    public void stop()
            throws InterruptedException
    {
        executor.shutdownNow();
        executor.awaitTermination(10, SECONDS);
    }

    private static void guarded(Runnable task)
    {
        try {
            task.run();
        }
        catch (Throwable e) {
            // never let anything end the schedule silently: a scheduled task that throws runs no more
            log.error(e, "Switchboard router heartbeat failed");
        }
    }

    private Optional<Snapshot> evaluate()
    {
        Optional<CoordinatorLoad> load = metrics.read();
        if (load.isEmpty()) {
            // not a coordinator
            return Optional.empty();
        }
        ClusterState state = move(drainRequests.drainRequested(), load.get());
        if (state == DRAINED && config.isExitWhenDrained() && stateMachine.servedBeforeDrain()) {
            exit.exit("cluster " + clusterName + " is drained and switchboard.exit-when-drained is set");
        }
        return Optional.of(new Snapshot(state, load.get()));
    }

    private void sync()
    {
        if (!schemaReady()) {
            return;
        }
        drainRequests.refreshFromMysql();
        openTransactions.refreshFromMysql();
        evaluate().ifPresent(this::report);
    }

    private synchronized ClusterState move(boolean drainRequested, CoordinatorLoad load)
    {
        long transactions = openTransactions.count();
        ClusterState state = stateMachine.update(drainRequested, drainRequests.desiredStateRead(), load.unfinishedQueries(), transactions);
        if (state != lastLoggedState) {
            log.info("Cluster %s: %s -> %s (%s unfinished queries, %s open transactions)", clusterName, lastLoggedState, state, load.unfinishedQueries(), transactions);
            if (state == DRAINED && transactions > 0) {
                log.warn("Cluster %s reports DRAINED with %s transactions still open: switchboard.transaction-drain-timeout (%s) has passed", clusterName, transactions, config.getTransactionDrainTimeout());
            }
            lastLoggedState = state;
        }
        return state;
    }

    private boolean schemaReady()
    {
        try {
            return schema.isOpen();
        }
        catch (RuntimeException e) {
            reportFailed(e);
            return false;
        }
    }

    private void report(Snapshot snapshot)
    {
        ClusterState state = snapshot.state();
        CoordinatorLoad load = snapshot.load();
        try {
            dao.report(new StatusReport(
                    clusterName,
                    state,
                    load.runningQueries(),
                    load.queuedQueries(),
                    load.blockedQueries(),
                    load.activeWorkers(),
                    load.reservedMemoryBytes(),
                    load.totalMemoryBytes(),
                    Optional.of(load.nodeId()),
                    Optional.of(load.startedAt()),
                    Optional.of(load.version()),
                    Optional.of(runningQueries.counts())));
            stats.statusReported();
            if (reportFailing) {
                reportFailing = false;
                log.info("Cluster %s reports its status to MySQL again", clusterName);
            }
        }
        catch (RuntimeException e) {
            reportFailed(e);
        }
    }

    private void reportFailed(RuntimeException e)
    {
        stats.statusReportFailed();
        if (!reportFailing) {
            reportFailing = true;
            log.warn("Cannot write the status of cluster %s to MySQL, the cluster keeps serving: %s", clusterName, e.getMessage());
        }
    }

    private record Snapshot(ClusterState state, CoordinatorLoad load) {}
}
