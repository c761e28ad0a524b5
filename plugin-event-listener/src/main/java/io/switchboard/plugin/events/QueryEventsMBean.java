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

import static java.util.Objects.requireNonNull;

final class QueryEventsMBean
        implements QueryEventsMXBean
{
    private final QueryEventStats stats;
    private final EventBuffer buffer;
    private final EventSpool spool;

    QueryEventsMBean(QueryEventStats stats, EventBuffer buffer, EventSpool spool)
    {
        this.stats = requireNonNull(stats, "stats is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.spool = requireNonNull(spool, "spool is null");
    }

    @Override
    public long getReceived()
    {
        return stats.received();
    }

    @Override
    public long getQueued()
    {
        return buffer.size();
    }

    @Override
    public long getWritten()
    {
        return stats.written();
    }

    @Override
    public long getSpooled()
    {
        return stats.spooled();
    }

    @Override
    public long getReplayed()
    {
        return stats.replayed();
    }

    @Override
    public long getFailedWrites()
    {
        return stats.failedWrites();
    }

    @Override
    public long getRejectedEvents()
    {
        return stats.rejectedEvents();
    }

    @Override
    public long getQueryTextsDropped()
    {
        return stats.queryTextsDropped();
    }

    @Override
    public long getQuarantinedSegments()
    {
        return stats.quarantinedSegments();
    }

    @Override
    public long getSpoolBytes()
    {
        return spool.sizeBytes();
    }

    @Override
    public long getSpoolSegments()
    {
        return spool.segmentCount();
    }

    @Override
    public double getListenerAverageNanos()
    {
        return stats.listenerAverageNanos();
    }

    @Override
    public long getListenerMaxNanos()
    {
        return stats.listenerMaxNanos();
    }
}
