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
import com.facebook.presto.spi.eventlistener.EventListenerFactory;
import com.google.inject.Injector;
import io.switchboard.plugin.events.EventFields;
import io.switchboard.plugin.events.QueryEventListenerFactory;
import io.switchboard.plugin.events.QueryEventsModule;
import io.switchboard.plugin.events.QueryHistory;
import io.switchboard.plugin.router.RunningQueries;
import io.switchboard.store.plugin.PluginBootstrap;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Named as the Trino plugin's factory: {@code event-listener.name=switchboard-events} in
 * {@code etc/event-listener.properties}, with the same properties.
 */
public class PrestoEventListenerFactory
        implements EventListenerFactory
{
    private final RunningQueries runningQueries;
    private final ShutdownHooks shutdownHooks;

    PrestoEventListenerFactory(RunningQueries runningQueries, ShutdownHooks shutdownHooks)
    {
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.shutdownHooks = requireNonNull(shutdownHooks, "shutdownHooks is null");
    }

    @Override
    public String getName()
    {
        return QueryEventListenerFactory.NAME;
    }

    @Override
    public EventListener create(Map<String, String> config)
    {
        Injector injector = PluginBootstrap.initialize(config, QueryEventListenerFactory.NAME, new QueryEventsModule());
        QueryHistory history = injector.getInstance(QueryHistory.class);
        // PrestoDB's event listeners have no shutdown(): write or spool the queued events when the JVM stops
        shutdownHooks.add("switchboard-events-shutdown", history::stop);
        return new PrestoEventListener(new PrestoEventMapper(injector.getInstance(EventFields.class)), history, runningQueries);
    }
}
