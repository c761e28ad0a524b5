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

import org.weakref.jmx.Managed;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener's counters, shared by the listener threads, the writer and the spool, and
 * exported over JMX with the listener.
 */
public final class QueryEventStats
{
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final AtomicLong rejectedEvents = new AtomicLong();
    private final AtomicLong queryTextsDropped = new AtomicLong();
    private final AtomicLong quarantinedSegments = new AtomicLong();
    private final AtomicLong listenerCalls = new AtomicLong();
    private final AtomicLong listenerNanos = new AtomicLong();
    private final AtomicLong listenerMaxNanos = new AtomicLong();

    void listenerCall(long nanos)
    {
        received.incrementAndGet();
        listenerCalls.incrementAndGet();
        listenerNanos.addAndGet(nanos);
        listenerMaxNanos.accumulateAndGet(nanos, Math::max);
    }

    void written(long events)
    {
        written.addAndGet(events);
    }

    void spooled(long events)
    {
        spooled.addAndGet(events);
    }

    void replayed(long events)
    {
        replayed.addAndGet(events);
    }

    void failedWrite()
    {
        failedWrites.incrementAndGet();
    }

    void rejected(long events)
    {
        rejectedEvents.addAndGet(events);
    }

    void queryTextsDropped(long events)
    {
        queryTextsDropped.addAndGet(events);
    }

    void quarantined()
    {
        quarantinedSegments.incrementAndGet();
    }

    @Managed(description = "Events received from Trino since start")
    public long getReceived()
    {
        return received.get();
    }

    @Managed(description = "Events written to MySQL directly")
    public long getWritten()
    {
        return written.get();
    }

    @Managed(description = "Events appended to the spool on local disk")
    public long getSpooled()
    {
        return spooled.get();
    }

    @Managed(description = "Spooled events written to MySQL later")
    public long getReplayed()
    {
        return replayed.get();
    }

    @Managed(description = "Attempts to write to MySQL that failed (the events went to, or stayed in, the spool)")
    public long getFailedWrites()
    {
        return failedWrites.get();
    }

    @Managed(description = "Events MySQL refused for their content (logged with their query id)")
    public long getRejectedEvents()
    {
        return rejectedEvents.get();
    }

    @Managed(description = "Events whose query text was dropped to keep memory and the spool within their caps")
    public long getQueryTextsDropped()
    {
        return queryTextsDropped.get();
    }

    @Managed(description = "Spool segments that could not be decoded, moved to the spool's quarantine directory")
    public long getQuarantinedSegments()
    {
        return quarantinedSegments.get();
    }

    @Managed(description = "Calls of the listener by Trino threads")
    public long getListenerCalls()
    {
        return listenerCalls.get();
    }

    @Managed(description = "Longest time a Trino thread spent in the listener, in nanoseconds")
    public long getListenerMaxNanos()
    {
        return listenerMaxNanos.get();
    }

    @Managed(description = "Average time a Trino thread spent in the listener, in nanoseconds")
    public double getListenerAverageNanos()
    {
        long calls = listenerCalls.get();
        return calls == 0 ? 0 : (double) listenerNanos.get() / calls;
    }
}
