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
import io.airlift.log.Logger;
import io.switchboard.gateway.database.ForBatchWrites;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.store.routing.QueryRoute;
import io.switchboard.store.routing.QueryRouteDao;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;

/**
 * Query id to cluster, for requests that carry a query id but no cluster prefix. Memory first;
 * MySQL is written asynchronously in batches (never on the request path) and read only for ids
 * this gateway has not seen, on a separate executor.
 */
public class QueryRoutes
{
    private static final Logger log = Logger.get(QueryRoutes.class);
    private static final int BATCH_SIZE = QueryRouteDao.MAX_ROWS_PER_STATEMENT;
    private static final long FILL_CHECK_MILLIS = 20;

    private final RecentQueryClusters clusterByQueryId;
    private final BlockingQueue<QueryRoute> pending;
    private final QueryRouteDao writes;
    private final QueryRouteDao reads;
    private final GatewayDatabase database;
    private final String gatewayId;
    private final long flushIntervalMillis;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(daemonThreadsNamed("query-route-writer"));
    private final ExecutorService reader = Executors.newFixedThreadPool(2, daemonThreadsNamed("query-route-reader-%s"));
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    // when the oldest record of the batch being written was received; null while no batch is pending
    private volatile Instant oldestInBatch;
    private volatile boolean running = true;

    @Inject
    public QueryRoutes(GatewayDatabase database, @ForBatchWrites QueryRouteDao writes, QueryRouteDao reads, GatewayReplica replica, RoutingConfig config)
    {
        this.database = requireNonNull(database, "database is null");
        this.writes = requireNonNull(writes, "writes is null");
        this.reads = requireNonNull(reads, "reads is null");
        this.gatewayId = replica.id();
        this.flushIntervalMillis = config.getRecordFlushInterval().toMillis();
        this.clusterByQueryId = new RecentQueryClusters(config.getRouteCacheSize());
        this.pending = new ArrayBlockingQueue<>(config.getRecordQueueSize());
    }

    @PostConstruct
    public void start()
    {
        writer.execute(this::writeLoop);
    }

    @PreDestroy
    public void stop()
            throws InterruptedException
    {
        running = false;
        writer.shutdown();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            writer.shutdownNow();
        }
        reader.shutdownNow();
    }

    /**
     * Remembers where a new query went. Never blocks.
     *
     * @param queuedInGatewayMillis how long the query waited in the gateway's admission queue; empty when it never queued
     */
    public void record(String queryId, String clusterName, String routingGroup, Optional<String> user, Optional<String> source, Optional<String> routingRule, OptionalLong queuedInGatewayMillis)
    {
        clusterByQueryId.put(queryId, clusterName);
        QueryRoute route = new QueryRoute(queryId, clusterName, routingGroup, gatewayId, Instant.now(), user, source, routingRule, queuedInGatewayMillis);
        while (!pending.offer(route)) {
            if (pending.poll() != null && dropped.incrementAndGet() % 10_000 == 1) {
                log.warn("MySQL is behind: dropped %s routing records so far (queries still run; the event listener records them)", dropped.get());
            }
        }
    }

    public Optional<String> cachedCluster(String queryId)
    {
        return clusterByQueryId.get(queryId);
    }

    /**
     * Looks the query id up in MySQL, off the request thread.
     */
    public CompletableFuture<Optional<String>> storedCluster(String queryId)
    {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reads.findCluster(queryId);
            }
            catch (RuntimeException e) {
                log.debug(e, "Cannot look up query %s in MySQL", queryId);
                return Optional.<String>empty();
            }
        }, reader);
    }

    public void remember(String queryId, String clusterName)
    {
        clusterByQueryId.put(queryId, clusterName);
    }

    public long writtenCount()
    {
        return written.get();
    }

    public long droppedCount()
    {
        return dropped.get();
    }

    /**
     * The records waiting to be written, besides the batch being written.
     */
    public int pendingCount()
    {
        return pending.size();
    }

    /**
     * How long ago the oldest record not yet in MySQL was received: zero when all are written.
     */
    public Duration lag()
    {
        Instant oldest = oldestInBatch;
        if (oldest == null) {
            QueryRoute next = pending.peek();
            oldest = next == null ? null : next.receivedAt();
        }
        return oldest == null ? Duration.ZERO : Duration.between(oldest, Instant.now());
    }

    private void writeLoop()
    {
        List<QueryRoute> batch = new ArrayList<>(BATCH_SIZE);
        while (running || !pending.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    QueryRoute first = pending.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    oldestInBatch = first.receivedAt();
                    awaitBatch();
                }
                pending.drainTo(batch, BATCH_SIZE - batch.size());
                if (database.ensureSchema()) {
                    writes.upsert(batch);
                    written.addAndGet(batch.size());
                    batch.clear();
                    oldestInBatch = null;
                }
                else if (!backOff()) {
                    return;
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            catch (RuntimeException e) {
                log.warn("Cannot write %s routing records to MySQL, will retry: %s", batch.size(), e.getMessage());
                if (!backOff()) {
                    return;
                }
            }
        }
    }

    /**
     * Waits until a whole batch is pending or the flush interval is over: a busy gateway writes
     * a batch as soon as it is full, evenly, instead of a second's worth of batches at once.
     * Short sleeps, not a timed poll: a waiting writer would be woken by every new query.
     */
    private void awaitBatch()
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis);
        while (running && pending.size() < BATCH_SIZE - 1) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                return;
            }
            Thread.sleep(Math.min(remainingMillis, FILL_CHECK_MILLIS));
        }
    }

    private boolean backOff()
    {
        if (!running) {
            // shutting down with MySQL unreachable: give up on what is left
            return false;
        }
        try {
            Thread.sleep(1000);
            return true;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
