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

import com.google.inject.Injector;
import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.store.plugin.PluginBootstrap;
import io.trino.spi.security.SystemAccessControl;
import io.trino.spi.security.SystemAccessControlFactory;

import java.util.Map;

public class DrainAccessControlFactory
        implements SystemAccessControlFactory
{
    public static final String NAME = "switchboard-router";

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public SystemAccessControl create(Map<String, String> config, SystemAccessControlContext context)
    {
        RunningQueries runningQueries = new RunningQueries();
        Injector injector = PluginBootstrap.initialize(config, NAME, new RouterModule(CoordinatorBeans.trino(context.getVersion()), runningQueries));
        return new DrainAccessControl(injector.getInstance(DrainGate.class), runningQueries, injector.getInstance(LifeCycleManager.class)::stop);
    }
}
