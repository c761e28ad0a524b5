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

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.store.routing.TransactionRouteDao;
import jakarta.annotation.PreDestroy;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;

/**
 * Transaction id to cluster: every statement of a transaction must reach the cluster that
 * started it. Memory first, forgotten after {@code routing.transaction-idle-timeout} without
 * use; MySQL is written off the request path so that other replicas find the transaction, and
 * read only for transactions this replica has not seen.
 */
public class TransactionRoutes
{
    private static final Logger log = Logger.get(TransactionRoutes.class);
    private static final int MAX_PENDING_WRITES = 10_000;
    // how often one replica records that a transaction is still in use: often enough within Trino's idle timeout
    private static final long USE_RECORD_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Cache<String, Route> routeByTransaction;
    private final Cache<String, String> transactionByStatement;
    private final TransactionRouteDao dao;
    private final GatewayDatabase database;
    private final String gatewayId;
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_PENDING_WRITES), daemonThreadsNamed("transaction-route-writer"));
    private final ExecutorService reader = Executors.newFixedThreadPool(2, daemonThreadsNamed("transaction-route-reader-%s"));

    @Inject
    public TransactionRoutes(GatewayDatabase database, TransactionRouteDao dao, GatewayReplica replica, RoutingConfig config)
    {
        this.database = requireNonNull(database, "database is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.gatewayId = replica.id();
        this.routeByTransaction = CacheBuilder.newBuilder()
                .expireAfterAccess(config.getTransactionIdleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.transactionByStatement = CacheBuilder.newBuilder()
                .expireAfterAccess(config.getTransactionIdleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    @PreDestroy
    public void stop()
            throws InterruptedException
    {
        writer.shutdown();
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
            writer.shutdownNow();
        }
        reader.shutdownNow();
    }

    /**
     * @param recordedNanos when this replica last recorded the transaction in MySQL
     */
    private record Route(String clusterName, long recordedNanos) {}

    public Optional<String> cachedCluster(String transactionId)
    {
        return Optional.ofNullable(routeByTransaction.getIfPresent(transactionId)).map(Route::clusterName);
    }

    /**
     * A cluster answered a statement with {@code X-Trino-Started-Transaction-Id} (PrestoDB: {@code X-Presto-}).
     */
    public void started(String transactionId, String clusterName)
    {
        routeByTransaction.put(transactionId, new Route(clusterName, System.nanoTime()));
        Instant now = Instant.now();
        write("started", transactionId, () -> dao.started(transactionId, clusterName, gatewayId, now));
    }

    /**
     * A statement of the transaction became the query of that id: the cluster says the
     * transaction ended in a response to a poll of that query, which carries no transaction id.
     */
    public void statementSubmitted(String queryId, String transactionId)
    {
        transactionByStatement.put(queryId, transactionId);
    }

    public Optional<String> transactionOfStatement(String queryId)
    {
        return Optional.ofNullable(transactionByStatement.getIfPresent(queryId));
    }

    /**
     * A cluster answered a statement of the transaction with {@code X-Trino-Clear-Transaction-Id} (PrestoDB: {@code X-Presto-}).
     */
    public void ended(String transactionId)
    {
        routeByTransaction.invalidate(transactionId);
        Instant now = Instant.now();
        write("ended", transactionId, () -> dao.ended(transactionId, now));
    }

    /**
     * Where another replica (MySQL) or a cluster said the transaction runs.
     */
    public void remember(String transactionId, String clusterName)
    {
        routeByTransaction.put(transactionId, new Route(clusterName, System.nanoTime() - USE_RECORD_INTERVAL_NANOS));
    }

    /**
     * A statement of the transaction is on its way: its cluster's router plugin counts the
     * transaction as open while it is used, and does not report a drain done before it ends.
     */
    public void used(String transactionId)
    {
        Route route = routeByTransaction.getIfPresent(transactionId);
        long now = System.nanoTime();
        if (route == null || now - route.recordedNanos() < USE_RECORD_INTERVAL_NANOS) {
            return;
        }
        routeByTransaction.put(transactionId, new Route(route.clusterName(), now));
        Instant usedAt = Instant.now();
        write("was used", transactionId, () -> dao.used(transactionId, usedAt));
    }

    /**
     * Looks the open transaction up in MySQL, off the request thread.
     */
    public CompletableFuture<Optional<String>> storedCluster(String transactionId)
    {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return dao.openTransactionCluster(transactionId);
            }
            catch (RuntimeException e) {
                log.debug(e, "Cannot look up transaction %s in MySQL", transactionId);
                return Optional.<String>empty();
            }
        }, reader);
    }

    /**
     * Once, without retries: a replica that misses the write still finds the transaction by
     * asking the clusters, and a write retried forever would hold back every later one.
     */
    private void write(String what, String transactionId, Runnable write)
    {
        try {
            writer.execute(() -> {
                try {
                    if (database.ensureSchema()) {
                        write.run();
                    }
                }
                catch (RuntimeException e) {
                    log.warn("Cannot record in MySQL that transaction %s %s (other gateway replicas will ask the clusters): %s", transactionId, what, e.getMessage());
                }
            });
        }
        catch (RejectedExecutionException e) {
            log.warn("MySQL is behind: transaction %s %s is not recorded there (other gateway replicas will ask the clusters)", transactionId, what);
        }
    }
}
