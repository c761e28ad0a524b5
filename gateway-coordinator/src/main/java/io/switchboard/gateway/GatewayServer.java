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
package io.switchboard.gateway;

import com.google.common.collect.ImmutableList;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.airlift.bootstrap.Bootstrap;
import io.airlift.jaxrs.JaxrsModule;
import io.airlift.json.JsonModule;
import io.airlift.log.Logger;
import io.switchboard.gateway.admission.AdmissionModule;
import io.switchboard.gateway.api.ApiModule;
import io.switchboard.gateway.audit.AuditModule;
import io.switchboard.gateway.cluster.ClusterModule;
import io.switchboard.gateway.compat.CompatModule;
import io.switchboard.gateway.console.ConsoleModule;
import io.switchboard.gateway.database.DatabaseModule;
import io.switchboard.gateway.health.HealthModule;
import io.switchboard.gateway.history.HistoryModule;
import io.switchboard.gateway.metrics.MetricsModule;
import io.switchboard.gateway.notify.NotifyModule;
import io.switchboard.gateway.proxy.ProxyModule;
import io.switchboard.gateway.replica.ReplicaModule;
import io.switchboard.gateway.rollout.RolloutModule;
import io.switchboard.gateway.routing.RoutingModule;
import io.switchboard.gateway.rules.RulesModule;
import io.switchboard.gateway.security.SecurityModule;
import io.switchboard.gateway.server.GatewayHttpServer;
import io.switchboard.gateway.server.ServerModule;

import java.util.List;
import java.util.Map;

public final class GatewayServer
{
    private static final Logger log = Logger.get(GatewayServer.class);

    private GatewayServer() {}

    public static List<Module> modules()
    {
        return ImmutableList.of(
                new JsonModule(),
                new JaxrsModule(),
                new ServerModule(),
                new ReplicaModule(),
                new ApiModule(),
                new DatabaseModule(),
                new SecurityModule(),
                new AuditModule(),
                new ClusterModule(),
                new NotifyModule(),
                new HealthModule(),
                new RoutingModule(),
                new RulesModule(),
                new AdmissionModule(),
                new ProxyModule(),
                new CompatModule(),
                new HistoryModule(),
                new MetricsModule(),
                new RolloutModule(),
                new ConsoleModule());
    }

    /**
     * A gateway in this JVM configured by the given properties instead of a file, with the
     * logging left as it is: for the tests, the quickstart and the JMH benchmark.
     */
    public static Injector start(Map<String, String> properties)
    {
        return new Bootstrap(modules())
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(properties)
                .initialize();
    }

    public static void main(String[] args)
    {
        try {
            Injector injector = new Bootstrap(modules()).initialize();
            log.info("======== SWITCHBOARD GATEWAY STARTED on %s ========", injector.getInstance(GatewayHttpServer.class).baseUris());
        }
        catch (Throwable e) {
            log.error(e);
            System.exit(1);
        }
    }
}
