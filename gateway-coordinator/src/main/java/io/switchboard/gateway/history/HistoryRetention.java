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
package io.switchboard.gateway.history;

import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.store.analytics.AnalyticsRollup;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.routing.TransactionRouteDao;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Deletes queries older than {@code history.retention}, in small batches, in the background,
 * the routes of transactions started before then, and their hours from the analytics rollup.
 */
public class HistoryRetention
{
    private static final Logger log = Logger.get(HistoryRetention.class);

    private final GatewayDatabase database;
    private final QueryHistoryDao dao;
    private final TransactionRouteDao transactions;
    private final AnalyticsRollup rollup;
    private final HistoryConfig config;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("history-retention"));

    @Inject
    public HistoryRetention(GatewayDatabase database, QueryHistoryDao dao, TransactionRouteDao transactions, AnalyticsRollup rollup, HistoryConfig config)
    {
        this.database = requireNonNull(database, "database is null");
        this.dao = requireNonNull(dao, "dao is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
        this.rollup = requireNonNull(rollup, "rollup is null");
        this.config = requireNonNull(config, "config is null");
    }

    @PostConstruct
    public void start()
    {
        long interval = config.getRetentionInterval().toMillis();
        executor.scheduleWithFixedDelay(this::deleteExpired, interval, interval, MILLISECONDS);
    }

    @PreDestroy
    public void stop()
    {
        executor.shutdownNow();
    }

    private void deleteExpired()
    {
        try {
            if (!database.ensureSchema()) {
                return;
            }
            Instant cutoff = Instant.now().minusMillis(config.getRetention().toMillis());
            long deleted = dao.deleteOlderThan(cutoff, config.getRetentionBatchSize());
            if (deleted > 0) {
                log.info("Deleted %s queries created before %s (history.retention=%s)", deleted, cutoff, config.getRetention());
            }
            transactions.deleteStartedBefore(cutoff);
            // the analytics rollup forgets the deleted hours (a no-op when it has none of them)
            rollup.forgetBefore(cutoff);
        }
        catch (RuntimeException e) {
            log.warn("Cannot delete old queries, will retry: %s", e.getMessage());
        }
    }
}
