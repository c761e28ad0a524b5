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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

public class RoutingConfig
{
    private String defaultGroup = "adhoc";
    private SelectionPolicy policy = SelectionPolicy.LEAST_LOADED;
    private Duration loadMaxAge = new Duration(10, SECONDS);
    private int routeCacheSize = 100_000;
    private Duration queryLookupTimeout = new Duration(2, SECONDS);
    private int recordQueueSize = 100_000;
    private Duration recordFlushInterval = new Duration(1, SECONDS);
    private Duration transactionIdleTimeout = new Duration(5, MINUTES);

    public enum SelectionPolicy
    {
        LEAST_LOADED,
        ROUND_ROBIN,
        WEIGHTED,
    }

    @NotNull
    @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
    public String getDefaultGroup()
    {
        return defaultGroup;
    }

    @Config("routing.default-group")
    @ConfigDescription("Routing group of queries that name none (X-Trino-Routing-Group)")
    public RoutingConfig setDefaultGroup(String defaultGroup)
    {
        this.defaultGroup = defaultGroup;
        return this;
    }

    @NotNull
    public SelectionPolicy getPolicy()
    {
        return policy;
    }

    @Config("routing.policy")
    @ConfigDescription("How a cluster is chosen within a group: LEAST_LOADED (by the router plugin's heartbeats), ROUND_ROBIN or WEIGHTED")
    public RoutingConfig setPolicy(SelectionPolicy policy)
    {
        this.policy = policy;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getLoadMaxAge()
    {
        return loadMaxAge;
    }

    @Config("routing.load-max-age")
    @ConfigDescription("Heartbeats older than this are stale: LEAST_LOADED falls back to round-robin, admission ignores their query counts")
    public RoutingConfig setLoadMaxAge(Duration loadMaxAge)
    {
        this.loadMaxAge = loadMaxAge;
        return this;
    }

    @Min(1000)
    @Max(10_000_000)
    public int getRouteCacheSize()
    {
        return routeCacheSize;
    }

    @Config("routing.query-cache-size")
    @ConfigDescription("Query ids whose cluster is remembered in memory (64-128 bytes per entry, allocated at start)")
    public RoutingConfig setRouteCacheSize(int routeCacheSize)
    {
        this.routeCacheSize = routeCacheSize;
        return this;
    }

    @NotNull
    @MinDuration("10ms")
    public Duration getQueryLookupTimeout()
    {
        return queryLookupTimeout;
    }

    @Config("routing.query-lookup-timeout")
    @ConfigDescription("Deadline for finding the cluster of a query id this gateway has not seen (MySQL, then every cluster in parallel)")
    public RoutingConfig setQueryLookupTimeout(Duration queryLookupTimeout)
    {
        this.queryLookupTimeout = queryLookupTimeout;
        return this;
    }

    @Min(100)
    public int getRecordQueueSize()
    {
        return recordQueueSize;
    }

    @Config("routing.record-queue-size")
    @ConfigDescription("Routing records waiting to be written to MySQL; beyond this the oldest are dropped (the event listener still records the query)")
    public RoutingConfig setRecordQueueSize(int recordQueueSize)
    {
        this.recordQueueSize = recordQueueSize;
        return this;
    }

    @NotNull
    @MinDuration("10ms")
    @MaxDuration("1m")
    public Duration getRecordFlushInterval()
    {
        return recordFlushInterval;
    }

    @Config("routing.record-flush-interval")
    @ConfigDescription("Routing records wait at most this long for a batch of 500 to fill before they are written to MySQL: longer costs less CPU per query, " +
            "and another replica finds a query by id in MySQL only after it (it asks the clusters meanwhile)")
    public RoutingConfig setRecordFlushInterval(Duration recordFlushInterval)
    {
        this.recordFlushInterval = recordFlushInterval;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getTransactionIdleTimeout()
    {
        return transactionIdleTimeout;
    }

    @Config("routing.transaction-idle-timeout")
    @ConfigDescription("A transaction not used for this long is forgotten by the gateway; set it to the clusters' transaction.idle-timeout (Trino's default is 5m)")
    public RoutingConfig setTransactionIdleTimeout(Duration transactionIdleTimeout)
    {
        this.transactionIdleTimeout = transactionIdleTimeout;
        return this;
    }
}
