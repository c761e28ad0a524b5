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
package io.switchboard.gateway.metrics;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import static io.airlift.configuration.ConfigBinder.configBinder;
import static io.airlift.jaxrs.JaxrsBinder.jaxrsBinder;

public class MetricsModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(MetricsConfig.class);
        binder.bind(GatewayMetrics.class).in(Scopes.SINGLETON);
        jaxrsBinder(binder).bind(MetricsResource.class);
        jaxrsBinder(binder).bind(ProbesResource.class);
    }

    /**
     * The gateway's own registry, not the client library's static default one.
     */
    @Provides
    @Singleton
    public static PrometheusRegistry createRegistry(GatewayMetrics metrics)
    {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        return registry;
    }
}
