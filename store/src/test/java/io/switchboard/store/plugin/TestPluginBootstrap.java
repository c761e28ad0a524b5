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

import com.google.inject.Injector;
import com.google.inject.Module;
import com.zaxxer.hikari.HikariDataSource;
import io.airlift.bootstrap.LifeCycleManager;
import io.airlift.configuration.Config;
import org.junit.jupiter.api.Test;
import org.weakref.jmx.Managed;

import javax.management.ObjectName;

import java.util.Map;

import static com.google.inject.Scopes.SINGLETON;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static java.lang.management.ManagementFactory.getPlatformMBeanServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.weakref.jmx.guice.ExportBinder.newExporter;

final class TestPluginBootstrap
{
    private static final String URL = "jdbc:mysql://127.0.0.1:1/switchboard";

    @Test
    void bindsTheSharedPropertiesAndThePluginsOwn()
    {
        Injector injector = PluginBootstrap.initialize(
                Map.of("switchboard.cluster-name", "adhoc-1", "switchboard.mysql.url", URL, "switchboard.mysql.socket-timeout", "7s", "own.property", "mine"),
                "test-pool",
                binder -> configBinder(binder).bindConfig(OwnConfig.class));
        try (HikariDataSource dataSource = injector.getInstance(HikariDataSource.class)) {
            assertThat(injector.getInstance(MemberClusterConfig.class).getClusterName()).isEqualTo("adhoc-1");
            assertThat(injector.getInstance(MysqlConfig.class).getSocketTimeout().toMillis()).isEqualTo(7_000);
            assertThat(injector.getInstance(OwnConfig.class).getValue()).isEqualTo("mine");
            assertThat(dataSource.getPoolName()).isEqualTo("test-pool");
            assertThat(dataSource.getJdbcUrl()).isEqualTo(URL);
            assertThat(dataSource.getDataSourceProperties()).containsEntry("socketTimeout", "7000");
            assertThat(injector.getInstance(HikariDataSource.class)).isSameAs(dataSource);
        }
    }

    @Test
    void beansAreNamedAfterTheClusterAndStoppingUnexportsThemAndClosesThePool()
            throws Exception
    {
        Map<String, String> properties = Map.of("switchboard.cluster-name", "adhoc-2", "switchboard.mysql.url", URL);
        Module exportsCounter = binder -> {
            binder.bind(Counter.class).in(SINGLETON);
            newExporter(binder).export(Counter.class).withGeneratedName();
        };
        ObjectName name = new ObjectName("io.switchboard.store.plugin:type=Counter,name=\"adhoc-2\"");
        for (int creation = 0; creation < 2; creation++) {
            Injector injector = PluginBootstrap.initialize(properties, "test-pool", exportsCounter);
            assertThat(getPlatformMBeanServer().getAttribute(name, "Count")).isEqualTo(7L);

            injector.getInstance(LifeCycleManager.class).stop();
            assertThat(getPlatformMBeanServer().isRegistered(name)).isFalse();
            assertThat(injector.getInstance(HikariDataSource.class).isClosed()).isTrue();
        }
    }

    @Test
    void failsOnAMissingOrUnknownProperty()
    {
        assertThatThrownBy(() -> PluginBootstrap.initialize(Map.of("switchboard.mysql.url", URL), "test-pool", _ -> {}))
                .hasMessageContaining("switchboard.cluster-name");
        assertThatThrownBy(() -> PluginBootstrap.initialize(Map.of("switchboard.cluster-name", "adhoc-1", "switchboard.mysql.url", URL, "switchboard.typo", "x"), "test-pool", _ -> {}))
                .hasMessageContaining("Configuration property 'switchboard.typo' was not used");
    }

    public static class Counter
    {
        @Managed
        public long getCount()
        {
            return 7;
        }
    }

    public static class OwnConfig
    {
        private String value;

        public String getValue()
        {
            return value;
        }

        @Config("own.property")
        public OwnConfig setValue(String value)
        {
            this.value = value;
            return this;
        }
    }
}
