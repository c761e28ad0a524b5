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
package io.switchboard.plugin.router;

import io.trino.plugin.base.security.AllowAllSystemAccessControl;
import io.trino.spi.QueryId;
import io.trino.spi.TrinoException;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryCreatedEvent;
import io.trino.spi.security.Identity;

import java.util.List;

import static io.trino.spi.StandardErrorCode.SERVER_SHUTTING_DOWN;
import static java.util.Objects.requireNonNull;

/**
 * Trino's access control: allows everything but a new query while the cluster drains, and
 * registers the listener that counts the unfinished queries.
 */
public class DrainAccessControl
        extends AllowAllSystemAccessControl
{
    private final DrainGate gate;
    private final RunningQueries runningQueries;
    private final Runnable onShutdown;

    public DrainAccessControl(DrainGate gate, RunningQueries runningQueries, Runnable onShutdown)
    {
        this.gate = requireNonNull(gate, "gate is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.onShutdown = requireNonNull(onShutdown, "onShutdown is null");
    }

    /**
     * Trino registers these with its event listeners when it installs this access control.
     */
    @Override
    public Iterable<EventListener> getEventListeners()
    {
        return List.of(new EventListener()
        {
            @Override
            public void queryCreated(QueryCreatedEvent event)
            {
                runningQueries.created(event.getMetadata().getQueryId(), event.getContext().getUser(), event.getContext().getSource());
            }

            @Override
            public void queryCompleted(QueryCompletedEvent event)
            {
                runningQueries.completed(event.getMetadata().getQueryId());
            }
        });
    }

    @Override
    public void checkCanExecuteQuery(Identity identity, QueryId queryId)
    {
        gate.refusal(identity.getExtraCredentials()).ifPresent(message -> {
            throw new TrinoException(SERVER_SHUTTING_DOWN, message);
        });
    }

    @Override
    public void shutdown()
    {
        onShutdown.run();
    }
}
