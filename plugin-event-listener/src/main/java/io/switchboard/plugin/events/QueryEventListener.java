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

import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryCreatedEvent;

import static java.util.Objects.requireNonNull;

/**
 * Trino's event listener: maps Trino's events to the {@link QueryHistory}.
 */
public class QueryEventListener
        implements EventListener
{
    private final EventMapper mapper;
    private final QueryHistory history;

    public QueryEventListener(EventMapper mapper, QueryHistory history)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.history = requireNonNull(history, "history is null");
    }

    @Override
    public void queryCreated(QueryCreatedEvent event)
    {
        long start = System.nanoTime();
        history.record(mapper.created(event), start);
    }

    @Override
    public void queryCompleted(QueryCompletedEvent event)
    {
        long start = System.nanoTime();
        history.record(mapper.completed(event), start);
    }

    public QueryHistory history()
    {
        return history;
    }

    @Override
    public void shutdown()
    {
        history.stop();
    }
}
