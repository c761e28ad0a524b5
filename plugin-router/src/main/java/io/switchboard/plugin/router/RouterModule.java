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
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.plugin.MemberClusterConfig;
import io.switchboard.store.plugin.SchemaGate;
import io.switchboard.store.routing.TransactionRouteDao;
import io.switchboard.store.status.ClusterStatusDao;
import org.jdbi.v3.core.Jdbi;

import javax.management.MBeanServer;

import java.util.Map;

import static com.google.inject.Scopes.SINGLETON;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.util.Objects.requireNonNull;
import static org.weakref.jmx.guice.ExportBinder.newExporter;

/**
 * The router plugin's parts. The heartbeat is created after the MySQL pool it uses, so Airlift's
 * LifeCycleManager, which stops in the reverse order of creation, stops it before the pool closes.
 */
public class RouterModule
        implements Module
{
    private final CoordinatorBeans beans;
    private final RunningQueries runningQueries;

    /**
     * @param runningQueries fed by the engine's query events, outside this module
     */
    public RouterModule(CoordinatorBeans beans, RunningQueries runningQueries)
    {
        this.beans = requireNonNull(beans, "beans is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
    }

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(RouterConfig.class);
        binder.bind(DrainStateMachine.class).in(SINGLETON);
        binder.bind(ProcessExit.class).in(SINGLETON);
        binder.bind(RunningQueries.class).toInstance(runningQueries);
        binder.bind(Heartbeat.class).in(SINGLETON);
        binder.bind(RouterStats.class).in(SINGLETON);
        newExporter(binder).export(RouterStats.class)
                .as(generator -> generator.generatedNameOf(RouterStats.class, Map.of("type", "Router")));
    }

    @Provides
    @Singleton
    public CoordinatorMetrics createCoordinatorMetrics(MBeanServer mbeanServer)
    {
        return new CoordinatorMetrics(mbeanServer, beans);
    }

    @Provides
    @Singleton
    public static Jdbi createJdbi(HikariDataSource dataSource)
    {
        return Jdbi.create(dataSource);
    }

    @Provides
    @Singleton
    public static ClusterStatusDao createClusterStatusDao(Jdbi jdbi)
    {
        return new ClusterStatusDao(jdbi);
    }

    @Provides
    @Singleton
    public static DrainRequests createDrainRequests(MemberClusterConfig cluster, RouterConfig config, ClusterStatusDao dao)
    {
        return new DrainRequests(cluster.getClusterName(), dao, config.getDrainFile());
    }

    @Provides
    @Singleton
    public static OpenTransactions createOpenTransactions(MemberClusterConfig cluster, RouterConfig config, Jdbi jdbi)
    {
        return new OpenTransactions(cluster.getClusterName(), new TransactionRouteDao(jdbi), config.getTransactionIdleTimeout());
    }

    @Provides
    @Singleton
    public static SchemaGate createSchemaGate(MemberClusterConfig cluster, HikariDataSource dataSource)
    {
        return new SchemaGate(dataSource, "the router plugin of cluster " + cluster.getClusterName(),
                "until then the cluster reports no status to MySQL and reads no drain request from it (the drain file still works)");
    }

    @Provides
    @Singleton
    public static DrainGate createDrainGate(MemberClusterConfig cluster, RouterConfig config, DrainStateMachine stateMachine, RouterStats stats)
    {
        return new DrainGate(cluster.getClusterName(), config.getGatewayUrl(), stateMachine, stats);
    }
}
