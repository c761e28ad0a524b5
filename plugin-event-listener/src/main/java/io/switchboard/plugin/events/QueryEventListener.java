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
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryCreatedEvent;
import org.weakref.jmx.Flatten;
import org.weakref.jmx.Managed;

import static java.util.Objects.requireNonNull;

/**
 * Records every query's life in MySQL without ever slowing Trino: the listener methods only map
 * the event and queue it; {@link EventWriter} does the rest on its own thread. Exported over JMX
 * as {@code io.switchboard.plugin.events:type=QueryEvents,name="<cluster>"}.
 */
public class QueryEventListener
        implements EventListener
{
    private final EventMapper mapper;
    private final EventBuffer buffer;
    private final EventSpool spool;
    private final QueryEventStats stats;
    private final LifeCycleManager lifeCycleManager;

    @Inject
    public QueryEventListener(EventMapper mapper, EventBuffer buffer, EventSpool spool, QueryEventStats stats, LifeCycleManager lifeCycleManager)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.spool = requireNonNull(spool, "spool is null");
        this.stats = requireNonNull(stats, "stats is null");
        this.lifeCycleManager = requireNonNull(lifeCycleManager, "lifeCycleManager is null");
    }

    @Override
    public void queryCreated(QueryCreatedEvent event)
    {
        long start = System.nanoTime();
        buffer.add(mapper.created(event));
        stats.listenerCall(System.nanoTime() - start);
    }

    @Override
    public void queryCompleted(QueryCompletedEvent event)
    {
        long start = System.nanoTime();
        buffer.add(mapper.completed(event));
        stats.listenerCall(System.nanoTime() - start);
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
    @Override
    public void shutdown()
    {
        lifeCycleManager.stop();
    }
}
