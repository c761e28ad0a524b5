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

import com.google.inject.Module;
import io.airlift.bootstrap.LifeCycleManager;
import io.switchboard.store.plugin.PluginBootstrap;

import java.util.Map;

import static com.google.inject.util.Modules.override;

final class TestingRouters
{
    private TestingRouters() {}

    /**
     * Starts the router plugin's parts the way its factory does, except that the heartbeat moves
     * the given state machine (the one the test's coordinator checks queries against) and reads
     * the load from the given metrics (the test coordinator's own beans).
     *
     * @return what stops the heartbeat and closes the MySQL pool
     */
    static LifeCycleManager startRouter(Map<String, String> properties, DrainStateMachine stateMachine, CoordinatorMetrics metrics)
    {
        return startRouter(properties, stateMachine, metrics, new RunningQueries());
    }

    /**
     * As above, counting the queries the given listener sees (the one the test's coordinator sends its events to).
     */
    static LifeCycleManager startRouter(Map<String, String> properties, DrainStateMachine stateMachine, CoordinatorMetrics metrics, RunningQueries runningQueries)
    {
        Module testing = binder -> {
            binder.bind(DrainStateMachine.class).toInstance(stateMachine);
            binder.bind(CoordinatorMetrics.class).toInstance(metrics);
        };
        return PluginBootstrap.initialize(properties, DrainAccessControlFactory.NAME, override(new RouterModule(CoordinatorBeans.trino("476"), runningQueries)).with(testing))
                .getInstance(LifeCycleManager.class);
    }
}
