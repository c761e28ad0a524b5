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
package io.switchboard.plugin.events;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDataSize;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * The event listener's own properties; those it shares with the router plugin are in
 * {@link io.switchboard.store.plugin.MemberClusterConfig} and {@link io.switchboard.store.plugin.MysqlConfig}.
 */
public class QueryEventsConfig
{
    private String spoolDirectory = "switchboard-events-spool";
    // valueOf, not of(): the PrestoDB plugin runs with the server's airlift units 1.3
    private DataSize spoolMaxSize = DataSize.valueOf("1GB");
    private int queueSize = 10_000;
    private int batchSize = 500;
    private Duration flushInterval = new Duration(1, SECONDS);
    private Duration retryInterval = new Duration(5, SECONDS);
    private int maxQueryTextLength = 1_000_000;

    @NotNull
    public String getSpoolDirectory()
    {
        return spoolDirectory;
    }

    @Config("switchboard.spool.directory")
    @ConfigDescription("Local directory for events that could not be written to MySQL yet (relative paths are relative to Trino's data directory)")
    public QueryEventsConfig setSpoolDirectory(String spoolDirectory)
    {
        this.spoolDirectory = spoolDirectory;
        return this;
    }

    @NotNull
    @MinDataSize("1MB")
    public DataSize getSpoolMaxSize()
    {
        return spoolMaxSize;
    }

    @Config("switchboard.spool.max-size")
    @ConfigDescription("Disk space the spool may use; beyond it query texts are dropped, oldest first, never the events")
    public QueryEventsConfig setSpoolMaxSize(DataSize spoolMaxSize)
    {
        this.spoolMaxSize = spoolMaxSize;
        return this;
    }

    @Min(1)
    @Max(10_000_000)
    public int getQueueSize()
    {
        return queueSize;
    }

    @Config("switchboard.queue-size")
    @ConfigDescription("Events kept in memory for the writer; beyond it query texts are dropped, oldest first, never the events")
    public QueryEventsConfig setQueueSize(int queueSize)
    {
        this.queueSize = queueSize;
        return this;
    }

    @Min(1)
    @Max(10_000)
    public int getBatchSize()
    {
        return batchSize;
    }

    @Config("switchboard.batch-size")
    @ConfigDescription("Most events written to MySQL in one transaction")
    public QueryEventsConfig setBatchSize(int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    @MinDuration("1ms")
    @MaxDuration("1m")
    public Duration getFlushInterval()
    {
        return flushInterval;
    }

    @Config("switchboard.flush-interval")
    @ConfigDescription("Longest time an event waits in memory for its batch to fill")
    public QueryEventsConfig setFlushInterval(Duration flushInterval)
    {
        this.flushInterval = flushInterval;
        return this;
    }

    @MinDuration("10ms")
    @MaxDuration("1h")
    public Duration getRetryInterval()
    {
        return retryInterval;
    }

    @Config("switchboard.retry-interval")
    @ConfigDescription("How often the writer tries MySQL again while it is unreachable")
    public QueryEventsConfig setRetryInterval(Duration retryInterval)
    {
        this.retryInterval = retryInterval;
        return this;
    }

    @Min(0)
    @Max(4_000_000)
    public int getMaxQueryTextLength()
    {
        return maxQueryTextLength;
    }

    @Config("switchboard.query-text.max-length")
    @ConfigDescription("Longest query text stored, in characters (longer texts are cut; 0 stores none)")
    public QueryEventsConfig setMaxQueryTextLength(int maxQueryTextLength)
    {
        this.maxQueryTextLength = maxQueryTextLength;
        return this;
    }
}
