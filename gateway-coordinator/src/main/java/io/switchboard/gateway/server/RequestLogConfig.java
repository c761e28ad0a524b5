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
package io.switchboard.gateway.server;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.MinDataSize;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static io.airlift.units.DataSize.Unit.MEGABYTE;

/**
 * The HTTP request log: Airlift's (the one Trino writes), one tab-separated line per request,
 * written by a background thread, rolled over by size and day.
 */
public class RequestLogConfig
{
    private boolean enabled;
    private String path = "var/log/http-request.log";
    private int maxHistory = 15;
    private DataSize maxSize = DataSize.of(100, MEGABYTE);
    private int queueSize = 10_000;
    private boolean compressionEnabled = true;
    private boolean immediateFlush;

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config("http-server.log.enabled")
    @ConfigDescription("Write a line per request (time, client address, method, path, status, bytes, latency) to http-server.log.path")
    public RequestLogConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    @NotNull
    public String getPath()
    {
        return path;
    }

    @Config("http-server.log.path")
    @ConfigDescription("The request log file; rolled-over files are kept beside it")
    public RequestLogConfig setPath(String path)
    {
        this.path = path;
        return this;
    }

    @Min(1)
    public int getMaxHistory()
    {
        return maxHistory;
    }

    @Config("http-server.log.max-history")
    @ConfigDescription("Days of rolled-over request logs to keep; their total size is also capped at this many times http-server.log.max-size")
    public RequestLogConfig setMaxHistory(int maxHistory)
    {
        this.maxHistory = maxHistory;
        return this;
    }

    @NotNull
    @MinDataSize("1kB")
    public DataSize getMaxSize()
    {
        return maxSize;
    }

    @Config("http-server.log.max-size")
    @ConfigDescription("Roll the request log over when a file reaches this size")
    public RequestLogConfig setMaxSize(DataSize maxSize)
    {
        this.maxSize = maxSize;
        return this;
    }

    @Min(1)
    public int getQueueSize()
    {
        return queueSize;
    }

    @Config("http-server.log.queue-size")
    @ConfigDescription("Lines waiting for the writer thread; when it falls that far behind, requests wait for it")
    public RequestLogConfig setQueueSize(int queueSize)
    {
        this.queueSize = queueSize;
        return this;
    }

    public boolean isCompressionEnabled()
    {
        return compressionEnabled;
    }

    @Config("http-server.log.compression.enabled")
    @ConfigDescription("Compress rolled-over request logs with gzip")
    public RequestLogConfig setCompressionEnabled(boolean compressionEnabled)
    {
        this.compressionEnabled = compressionEnabled;
        return this;
    }

    public boolean isImmediateFlush()
    {
        return immediateFlush;
    }

    @Config("http-server.log.immediate-flush")
    @ConfigDescription("Flush every line to the file at once instead of in buffered blocks")
    public RequestLogConfig setImmediateFlush(boolean immediateFlush)
    {
        this.immediateFlush = immediateFlush;
        return this;
    }
}
