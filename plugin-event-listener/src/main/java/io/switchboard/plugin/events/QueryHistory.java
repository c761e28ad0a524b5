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

import com.google.inject.Inject;
import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.store.history.QueryEvent;
import org.weakref.jmx.Flatten;
import org.weakref.jmx.Managed;

import static java.util.Objects.requireNonNull;

/**
 * The query history of one coordinator, whatever its engine: events go to the buffer without
 * blocking, the writer takes them to MySQL or to the spool. The engines' event listeners map their
 * SPI's events to {@link QueryEvent}s and hand them here. Exported over JMX as
 * {@code io.switchboard.plugin.events:type=QueryEvents,name="<cluster>"}.
 */
public class QueryHistory
{
    private final EventBuffer buffer;
    private final EventSpool spool;
    private final QueryEventStats stats;
    private final LifeCycleManager lifeCycleManager;

    @Inject
    public QueryHistory(EventBuffer buffer, EventSpool spool, QueryEventStats stats, LifeCycleManager lifeCycleManager)
    {
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.spool = requireNonNull(spool, "spool is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.lifeCycleManager = requireNonNull(lifeCycleManager, "lifeCycleManager is null");
    }

    /**
     * Queues the event; never blocks the engine's thread. {@code startNanos} is when the engine
     * called the listener, for the listener-call timing.
     */
    public void record(QueryEvent event, long startNanos)
    {
        buffer.add(event);
        stats.listenerCall(System.nanoTime() - startNanos);
    }

    @Managed
    @Flatten
    public QueryEventStats getStats()
    {
        return stats;
    }

    @Managed(description = "Events waiting in memory for the writer")
    public long getQueued()
    {
        return buffer.size();
    }

    @Managed(description = "Bytes in the spool")
    public long getSpoolBytes()
    {
        return spool.sizeBytes();
    }

    @Managed(description = "Spool segment files")
    public long getSpoolSegments()
    {
        return spool.segmentCount();
    }

    /**
     * Stops the writer, which writes or spools every queued event first (see {@link QueryEventsModule}),
     * closes the spool and the MySQL pool, and unexports the counters.
     */
    public void stop()
    {
        lifeCycleManager.stop();
    }
}
