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
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Keeps the hourly rollup of the query history current ({@link AnalyticsRollup}), every
 * {@code analytics.rollup.interval}, in the background: the first run after a start computes
 * every closed hour not rolled up yet, the next ones the hour that closed and the hours whose
 * queries changed. Every replica runs it; they take turns, and a run that finds another one
 * running skips its turn.
 */
public class AnalyticsRollupJob
{
    private static final Logger log = Logger.get(AnalyticsRollupJob.class);

    private final GatewayDatabase database;
    private final AnalyticsRollup rollup;
    private final AnalyticsRollupConfig config;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("analytics-rollup"));

    @Inject
    public AnalyticsRollupJob(GatewayDatabase database, AnalyticsRollup rollup, AnalyticsRollupConfig config)
    {
        this.database = requireNonNull(database, "database is null");
        this.rollup = requireNonNull(rollup, "rollup is null");
        this.config = requireNonNull(config, "config is null");
    }

    @PostConstruct
    public void start()
    {
        if (config.isEnabled()) {
            executor.scheduleWithFixedDelay(this::roll, 0, config.getInterval().toMillis(), MILLISECONDS);
        }
    }

    @PreDestroy
    public void stop()
            throws InterruptedException
    {
        // a run stops after the hour it is computing (each hour is saved)
        executor.shutdownNow();
        executor.awaitTermination(10, SECONDS);
    }

    private void roll()
    {
        try {
            if (!database.ensureSchema()) {
                return;
            }
            long start = System.nanoTime();
            AnalyticsRollup.Run run = rollup.run();
            if (run.hoursComputed() > 1) {
                log.info("Analytics rollup: %s hours computed in %s ms, complete before %s",
                        run.hoursComputed(), (System.nanoTime() - start) / 1_000_000, run.rolledUpTo().map(Object::toString).orElse("?"));
            }
        }
        catch (RuntimeException e) {
            log.warn("Cannot update the analytics rollup, will retry: %s", e.getMessage());
        }
    }
}
