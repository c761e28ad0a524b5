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
package io.switchboard.gateway.health;

import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.store.health.ClusterHealthDao;
import io.switchboard.store.health.HealthTransition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Writes health transitions to MySQL off the caller's thread, in batches. While MySQL is
 * unreachable they wait in memory (at most {@value #MAX_PENDING}, oldest dropped first) and are
 * written when it is back.
 */
public final class HealthHistoryWriter
{
    private static final Logger log = Logger.get(HealthHistoryWriter.class);
    private static final int MAX_PENDING = 10_000;

    private final GatewayDatabase database;
    private final ClusterHealthDao dao;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("health-history"));
    private final Deque<HealthTransition> pending = new ArrayDeque<>();

    @Inject
    public HealthHistoryWriter(GatewayDatabase database, ClusterHealthDao dao)
    {
        this.database = requireNonNull(database, "database is null");
        this.dao = requireNonNull(dao, "dao is null");
    }

    ClusterHealthDao dao()
    {
        return dao;
    }

    void start()
    {
        executor.scheduleWithFixedDelay(this::flush, 1, 1, SECONDS);
    }

    void stop()
    {
        executor.shutdown();
        try {
            executor.awaitTermination(2, SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        flush();
    }

    synchronized void add(HealthTransition transition)
    {
        if (pending.size() >= MAX_PENDING) {
            HealthTransition dropped = pending.removeFirst();
            log.warn("Health history backlog is full (MySQL unreachable?): dropped the transition of %s at %s", dropped.clusterName(), dropped.occurredAt());
        }
        pending.addLast(transition);
        try {
            executor.execute(this::flush);
        }
        catch (RejectedExecutionException e) {
            // stopping: stop() flushes what is left
        }
    }

    private void flush()
    {
        List<HealthTransition> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending);
        }
        try {
            if (!database.ensureSchema()) {
                return;
            }
            dao.insert(batch);
            synchronized (this) {
                batch.forEach(pending::removeFirstOccurrence);
            }
        }
        catch (RuntimeException e) {
            log.warn("Cannot write %s health transitions to MySQL, will retry: %s", batch.size(), e.getMessage());
        }
    }
}
