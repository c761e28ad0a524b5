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

import com.google.inject.Inject;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterRegistry;
import io.switchboard.gateway.routing.QueryRoutes;
import io.switchboard.gateway.routing.RoutingConfig;
import io.switchboard.gateway.routing.TransactionRoutes;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Finds the cluster of a query id this gateway has not routed itself (another gateway replica
 * did, or the query was submitted to a cluster directly): MySQL first, then every cluster in
 * parallel, all under one short deadline.
 */
public class QueryLocator
{
    private static final int QUERY_INFO_BYTES = 64 * 1024;
    // the cluster's list of recent queries, which names each one's transaction
    private static final int QUERY_LIST_BYTES = 16 * 1024 * 1024;

    private final HttpClient httpClient;
    private final ClusterRegistry clusters;
    private final QueryRoutes routes;
    private final TransactionRoutes transactions;
    private final long timeoutMillis;

    @Inject
    public QueryLocator(@ForProxy HttpClient httpClient, ClusterRegistry clusters, QueryRoutes routes, TransactionRoutes transactions, RoutingConfig config)
    {
        this.httpClient = requireNonNull(httpClient, "httpClient is null");
        this.clusters = requireNonNull(clusters, "clusters is null");
        this.routes = requireNonNull(routes, "routes is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
        this.timeoutMillis = config.getQueryLookupTimeout().toMillis();
    }

    /**
     * @param lookupPath what to ask each cluster when neither memory nor MySQL knows the query:
     * the cluster that answers it with 200 has the query
     */
    public CompletableFuture<Optional<Cluster>> locate(String queryId, String user, String lookupPath)
    {
        return routes.storedCluster(queryId)
                .completeOnTimeout(Optional.empty(), timeoutMillis, TimeUnit.MILLISECONDS)
                .thenCompose(stored -> {
                    Optional<Cluster> cluster = stored.flatMap(clusters::forwardingTarget);
                    return cluster.isPresent() ? CompletableFuture.completedFuture(cluster) : askClusters(lookupPath, user, QUERY_INFO_BYTES, _ -> true);
                });
    }

    /**
     * The name of the cluster an open transaction runs on: MySQL, written by the replica that
     * saw it start, else the cluster whose recent queries include one of the transaction.
     */
    public CompletableFuture<Optional<String>> locateTransaction(String transactionId, String user)
    {
        return transactions.storedCluster(transactionId)
                .completeOnTimeout(Optional.empty(), timeoutMillis, TimeUnit.MILLISECONDS)
                .thenCompose(stored -> stored.isPresent()
                        ? CompletableFuture.completedFuture(stored)
                        : askClusters("/v1/query", user, QUERY_LIST_BYTES, body -> body.contains("\"" + transactionId + "\"")).thenApply(found -> found.map(Cluster::name)));
    }

    private CompletableFuture<Optional<Cluster>> askClusters(String lookupPath, String user, int maxBytes, Predicate<String> answers)
    {
        List<Cluster> candidates = clusters.all();
        CompletableFuture<Optional<Cluster>> found = new CompletableFuture<>();
        if (candidates.isEmpty()) {
            found.complete(Optional.empty());
            return found;
        }
        AtomicInteger remaining = new AtomicInteger(candidates.size());
        for (Cluster cluster : candidates) {
            httpClient.newRequest(cluster.proxyUri().resolve(lookupPath))
                    .method("GET")
                    .headers(headers -> headers.put(ProtocolHeaders.of(cluster.kind()).user(), user == null ? "switchboard" : user))
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .send(new BufferingResponseListener(maxBytes)
                    {
                        @Override
                        public void onComplete(Result result)
                        {
                            if (result.isSucceeded() && result.getResponse().getStatus() == 200 && answers.test(getContentAsString())) {
                                found.complete(Optional.of(cluster));
                            }
                            else if (remaining.decrementAndGet() == 0) {
                                found.complete(Optional.empty());
                            }
                        }
                    });
        }
        return found;
    }
}
