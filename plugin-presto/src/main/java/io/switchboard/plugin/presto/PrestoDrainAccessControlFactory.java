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

import com.facebook.presto.spi.security.SystemAccessControl;
import com.facebook.presto.spi.security.SystemAccessControlFactory;
import com.google.inject.Injector;
import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.plugin.router.CoordinatorBeans;
import io.switchboard.plugin.router.DrainAccessControlFactory;
import io.switchboard.plugin.router.DrainGate;
import io.switchboard.plugin.router.RouterModule;
import io.switchboard.plugin.router.RunningQueries;
import io.switchboard.store.plugin.PluginBootstrap;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Named as the Trino plugin's factory: {@code access-control.name=switchboard-router} in
 * {@code etc/access-control.properties}, with the same properties.
 */
public class PrestoDrainAccessControlFactory
        implements SystemAccessControlFactory
{
    private final String serverVersion;
    private final RunningQueries runningQueries;
    private final ShutdownHooks shutdownHooks;

    PrestoDrainAccessControlFactory(String serverVersion, RunningQueries runningQueries, ShutdownHooks shutdownHooks)
    {
        this.serverVersion = requireNonNull(serverVersion, "serverVersion is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
        this.shutdownHooks = requireNonNull(shutdownHooks, "shutdownHooks is null");
    }

    @Override
    public String getName()
    {
        return DrainAccessControlFactory.NAME;
    }

    @Override
    public SystemAccessControl create(Map<String, String> config)
    {
        Injector injector = PluginBootstrap.initialize(config, DrainAccessControlFactory.NAME, new RouterModule(CoordinatorBeans.prestoDb(serverVersion), runningQueries));
        shutdownHooks.add("switchboard-router-shutdown", injector.getInstance(LifeCycleManager.class)::stop);
        return new PrestoDrainAccessControl(injector.getInstance(DrainGate.class));
    }
}
