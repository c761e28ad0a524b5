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

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Scopes;

import java.lang.management.ManagementFactory;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.util.Objects.requireNonNull;

public class RouterModule
        implements Module
{
    private final String trinoVersion;

    public RouterModule(String trinoVersion)
    {
        this.trinoVersion = requireNonNull(trinoVersion, "trinoVersion is null");
    }

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(RouterConfig.class);
        binder.bind(DrainStateMachine.class).in(Scopes.SINGLETON);
        binder.bind(ProcessExit.class).in(Scopes.SINGLETON);
        binder.bind(CoordinatorMetrics.class).toInstance(new CoordinatorMetrics(ManagementFactory.getPlatformMBeanServer(), trinoVersion));
        binder.bind(Heartbeat.class).asEagerSingleton();
    }
}
