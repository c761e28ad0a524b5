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

import com.facebook.presto.spi.Plugin;
import com.facebook.presto.spi.eventlistener.EventListenerFactory;
import com.facebook.presto.spi.security.SystemAccessControlFactory;
import io.switchboard.plugin.router.RunningQueries;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Both Switchboard plugins for PrestoDB in one plugin directory: PrestoDB has one event listener
 * and an access control that cannot register listeners, so the history listener also counts the
 * unfinished queries that the drain reports, and the two factories share that count.
 */
public class SwitchboardPrestoPlugin
        implements Plugin
{
    private final RunningQueries runningQueries = new RunningQueries();
    private final String serverVersion;
    private final ShutdownHooks shutdownHooks;

    public SwitchboardPrestoPlugin()
    {
        this(Optional.ofNullable(Plugin.class.getPackage().getImplementationVersion()).orElse("unknown"), ShutdownHooks.runtime());
    }

    SwitchboardPrestoPlugin(String serverVersion, ShutdownHooks shutdownHooks)
    {
        this.serverVersion = requireNonNull(serverVersion, "serverVersion is null");
        this.shutdownHooks = requireNonNull(shutdownHooks, "shutdownHooks is null");
    }

    @Override
    public Iterable<EventListenerFactory> getEventListenerFactories()
    {
        return List.of(new PrestoEventListenerFactory(runningQueries, shutdownHooks));
    }

    @Override
    public Iterable<SystemAccessControlFactory> getSystemAccessControlFactories()
    {
        return List.of(new PrestoDrainAccessControlFactory(serverVersion, runningQueries, shutdownHooks));
    }
}
