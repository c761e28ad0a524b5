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
package io.switchboard.gateway.database;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import io.switchboard.store.analytics.AnalyticsDao;
import io.switchboard.store.analytics.AnalyticsRollup;
import io.switchboard.store.audit.AuditDao;
import io.switchboard.store.cluster.ClusterDao;
import io.switchboard.store.health.ClusterHealthDao;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.lease.LeaseDao;
import io.switchboard.store.rollout.RollingRestartDao;
import io.switchboard.store.routing.QueryRouteDao;
import io.switchboard.store.routing.TransactionRouteDao;
import io.switchboard.store.rules.RoutingRulesDao;
import io.switchboard.store.status.ClusterStatusDao;
import org.jdbi.v3.core.Jdbi;

import static io.airlift.configuration.ConfigBinder.configBinder;

/**
 * The gateway's MySQL, one {@link Jdbi} on its pool, and every DAO of {@code store} on it.
 */
public class DatabaseModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(DatabaseConfig.class);
        binder.bind(GatewayDatabase.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    public static Jdbi createJdbi(GatewayDatabase database)
    {
        return Jdbi.create(database.dataSource());
    }

    @Provides
    @Singleton
    @ForBatchWrites
    public static QueryRouteDao createBatchQueryRouteDao(GatewayDatabase database)
    {
        return new QueryRouteDao(Jdbi.create(database.batchDataSource()));
    }

    @Provides
    @Singleton
    public static QueryRouteDao createQueryRouteDao(Jdbi jdbi)
    {
        return new QueryRouteDao(jdbi);
    }

    @Provides
    @Singleton
    public static TransactionRouteDao createTransactionRouteDao(Jdbi jdbi)
    {
        return new TransactionRouteDao(jdbi);
    }

    @Provides
    @Singleton
    public static ClusterDao createClusterDao(Jdbi jdbi)
    {
        return new ClusterDao(jdbi);
    }

    @Provides
    @Singleton
    public static ClusterStatusDao createClusterStatusDao(Jdbi jdbi)
    {
        return new ClusterStatusDao(jdbi);
    }

    @Provides
    @Singleton
    public static ClusterHealthDao createClusterHealthDao(Jdbi jdbi)
    {
        return new ClusterHealthDao(jdbi);
    }

    @Provides
    @Singleton
    public static QueryHistoryDao createQueryHistoryDao(Jdbi jdbi)
    {
        return new QueryHistoryDao(jdbi);
    }

    @Provides
    @Singleton
    public static AnalyticsDao createAnalyticsDao(Jdbi jdbi)
    {
        return new AnalyticsDao(jdbi);
    }

    @Provides
    @Singleton
    public static AnalyticsRollup createAnalyticsRollup(Jdbi jdbi)
    {
        return new AnalyticsRollup(jdbi);
    }

    @Provides
    @Singleton
    public static AuditDao createAuditDao(Jdbi jdbi)
    {
        return new AuditDao(jdbi);
    }

    @Provides
    @Singleton
    public static LeaseDao createLeaseDao(Jdbi jdbi)
    {
        return new LeaseDao(jdbi);
    }

    @Provides
    @Singleton
    public static RollingRestartDao createRollingRestartDao(Jdbi jdbi)
    {
        return new RollingRestartDao(jdbi);
    }

    @Provides
    @Singleton
    public static RoutingRulesDao createRoutingRulesDao(Jdbi jdbi)
    {
        return new RoutingRulesDao(jdbi);
    }
}
