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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MINUTES;

public class HistoryConfig
{
    private Duration retention = new Duration(30, DAYS);
    private Duration retentionInterval = new Duration(10, MINUTES);
    private int retentionBatchSize = 1000;
    private Duration textSearchWindow = new Duration(1, DAYS);

    @NotNull
    @MinDuration("1h")
    public Duration getRetention()
    {
        return retention;
    }

    @Config("history.retention")
    @ConfigDescription("Queries created longer ago than this are deleted from the history")
    public HistoryConfig setRetention(Duration retention)
    {
        this.retention = retention;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getRetentionInterval()
    {
        return retentionInterval;
    }

    @Config("history.retention-interval")
    @ConfigDescription("How often old queries are deleted")
    public HistoryConfig setRetentionInterval(Duration retentionInterval)
    {
        this.retentionInterval = retentionInterval;
        return this;
    }

    @Min(1)
    @Max(100_000)
    public int getRetentionBatchSize()
    {
        return retentionBatchSize;
    }

    @Config("history.retention-batch-size")
    @ConfigDescription("Rows deleted per statement, so that deletion never holds long locks")
    public HistoryConfig setRetentionBatchSize(int retentionBatchSize)
    {
        this.retentionBatchSize = retentionBatchSize;
        return this;
    }

    @NotNull
    @MinDuration("1m")
    public Duration getTextSearchWindow()
    {
        return textSearchWindow;
    }

    @Config("history.text-search-window")
    @ConfigDescription("How far back before 'to' (or now) a search of the history by text looks when it has no 'from'")
    public HistoryConfig setTextSearchWindow(Duration textSearchWindow)
    {
        this.textSearchWindow = textSearchWindow;
        return this;
    }
}
