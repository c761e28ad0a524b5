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
package io.switchboard.plugin.presto;

import com.facebook.presto.spi.eventlistener.EventListener;
import com.facebook.presto.spi.eventlistener.QueryCompletedEvent;
import com.facebook.presto.spi.eventlistener.QueryCreatedEvent;
import io.switchboard.plugin.events.QueryHistory;
import io.switchboard.plugin.router.RunningQueries;

import static java.util.Objects.requireNonNull;

/**
 * PrestoDB's one event listener: writes the query history and counts the unfinished queries for
 * the drain's status reports, which on Trino the access control's own listener does (PrestoDB's
 * access control cannot register one).
 */
public class PrestoEventListener
        implements EventListener
{
    private final PrestoEventMapper mapper;
    private final QueryHistory history;
    private final RunningQueries runningQueries;

    PrestoEventListener(PrestoEventMapper mapper, QueryHistory history, RunningQueries runningQueries)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.history = requireNonNull(history, "history is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
    }

    @Override
    public void queryCreated(QueryCreatedEvent event)
    {
        long start = System.nanoTime();
        runningQueries.created(event.getMetadata().getQueryId(), event.getContext().getUser(), event.getContext().getSource());
        history.record(mapper.created(event), start);
    }

    @Override
    public void queryCompleted(QueryCompletedEvent event)
    {
        long start = System.nanoTime();
        runningQueries.completed(event.getMetadata().getQueryId());
        history.record(mapper.completed(event), start);
    }

    public QueryHistory history()
    {
        return history;
    }
}
