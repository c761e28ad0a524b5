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
package io.switchboard.store.plugin;

import com.google.inject.Binder;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.zaxxer.hikari.HikariDataSource;
import io.airlift.bootstrap.Bootstrap;
import io.switchboard.store.MysqlDataSources;
import org.weakref.jmx.ObjectNameGenerator;
import org.weakref.jmx.guice.MBeanModule;

import javax.management.MBeanServer;

import java.util.Map;

import static com.google.inject.Scopes.SINGLETON;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.lang.management.ManagementFactory.getPlatformMBeanServer;
import static java.util.Objects.requireNonNull;

/**
 * How both Switchboard plugins build their objects from the properties Trino hands them:
 * Airlift's Bootstrap, leaving Trino's logging alone, over the plugin's own module and what the
 * two share: {@link MemberClusterConfig}, {@link MysqlConfig}, a small MySQL pool on it, and JMX
 * exports on the platform MBean server, named after the cluster (see {@link ClusterObjectNames}).
 * The plugin stops with the injector's {@link io.airlift.bootstrap.LifeCycleManager}, which
 * closes the pool and unexports the beans.
 */
public final class PluginBootstrap
{
    private static final int POOL_SIZE = 2;

    private PluginBootstrap() {}

    /**
     * @param poolName the name of the MySQL pool, as it appears in the logs and over JMX
     */
    public static Injector initialize(Map<String, String> properties, String poolName, Module pluginModule)
    {
        return new Bootstrap(new SharedModule(poolName), pluginModule)
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(properties)
                .initialize();
    }

    record SharedModule(String poolName)
            implements Module
    {
        SharedModule
        {
            requireNonNull(poolName, "poolName is null");
        }

        @Override
        public void configure(Binder binder)
        {
            configBinder(binder).bindConfig(MemberClusterConfig.class);
            configBinder(binder).bindConfig(MysqlConfig.class);
            binder.bind(MBeanServer.class).toInstance(getPlatformMBeanServer());
            binder.install(new MBeanModule());
            binder.bind(MBeanUnexporter.class).in(SINGLETON);
        }

        @Provides
        @Singleton
        public MysqlPool createPool(MysqlConfig config)
        {
            return new MysqlPool(MysqlDataSources.create(config.toConnection(), poolName, POOL_SIZE));
        }

        @Provides
        public HikariDataSource createDataSource(MysqlPool pool)
        {
            return pool.dataSource();
        }

        @Provides
        @Singleton
        public ObjectNameGenerator createObjectNameGenerator(MemberClusterConfig cluster)
        {
            return new ClusterObjectNames(cluster.getClusterName());
        }
    }
}
