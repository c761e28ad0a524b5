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
package io.switchboard.gateway.history;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Scopes;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static io.airlift.jaxrs.JaxrsBinder.jaxrsBinder;

public class HistoryModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(HistoryConfig.class);
        binder.bind(HistoryRetention.class).in(Scopes.SINGLETON);
        configBinder(binder).bindConfig(AnalyticsRollupConfig.class);
        binder.bind(AnalyticsRollupJob.class).in(Scopes.SINGLETON);
        jaxrsBinder(binder).bind(QueryHistoryResource.class);
        jaxrsBinder(binder).bind(AnalyticsResource.class);
    }
}
