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

import java.util.concurrent.atomic.AtomicLong;

/**
 * The listener's counters, shared by the listener threads, the writer and the spool.
 */
final class QueryEventStats
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

    long received()
    {
        return received.get();
    }

    long written()
    {
        return written.get();
    }

    long spooled()
    {
        return spooled.get();
    }

    long replayed()
    {
        return replayed.get();
    }

    long failedWrites()
    {
        return failedWrites.get();
    }

    long rejectedEvents()
    {
        return rejectedEvents.get();
    }

    long queryTextsDropped()
    {
        return queryTextsDropped.get();
    }

    long quarantinedSegments()
    {
        return quarantinedSegments.get();
    }

    long listenerCalls()
    {
        return listenerCalls.get();
    }

    long listenerMaxNanos()
    {
        return listenerMaxNanos.get();
    }

    double listenerAverageNanos()
    {
        long calls = listenerCalls.get();
        return calls == 0 ? 0 : (double) listenerNanos.get() / calls;
    }
}
