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
package io.switchboard.plugin.events;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.zaxxer.hikari.HikariDataSource;
import io.airlift.log.Logger;
import io.switchboard.plugin.events.EventWriter.WriterSettings;
import io.switchboard.store.history.QueryEventWriter;
import io.switchboard.store.plugin.MemberClusterConfig;
import io.switchboard.store.plugin.SchemaGate;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.util.Map;

import static com.google.inject.Scopes.SINGLETON;
import static io.airlift.configuration.ConfigBinder.configBinder;
import static org.weakref.jmx.guice.ExportBinder.newExporter;

/**
 * The listener's parts. Airlift's LifeCycleManager stops them in the reverse order of their
 * creation, and the writer is created after the spool and the MySQL pool it uses: so the writer
 * first writes or spools every queued event, within its timeout, then the spool closes, then the pool.
 */
public class QueryEventsModule
        implements Module
{
    private static final Logger log = Logger.get(QueryEventsModule.class);

    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(QueryEventsConfig.class);
        binder.bind(QueryEventStats.class).in(SINGLETON);
        binder.bind(QueryHistory.class).in(SINGLETON);
        newExporter(binder).export(QueryHistory.class)
                .as(generator -> generator.generatedNameOf(QueryHistory.class, Map.of("type", "QueryEvents")));
    }

    @Provides
    @Singleton
    public static EventFields createEventFields(MemberClusterConfig cluster, QueryEventsConfig config)
    {
        return new EventFields(cluster.getClusterName(), config.getMaxQueryTextLength());
    }

    @Provides
    @Singleton
    public static EventBuffer createBuffer(QueryEventsConfig config, QueryEventStats stats)
    {
        return new EventBuffer(config.getQueueSize(), stats);
    }

    @Provides
    @Singleton
    public static EventSpool createSpool(QueryEventsConfig config, QueryEventStats stats)
    {
        return new EventSpool(Path.of(config.getSpoolDirectory()), config.getSpoolMaxSize().toBytes(), stats);
    }

    @Provides
    @Singleton
    public static SchemaGate createSchemaGate(MemberClusterConfig cluster, HikariDataSource dataSource)
    {
        return new SchemaGate(dataSource, "the query event listener of cluster " + cluster.getClusterName(), "its events are kept in the spool until then");
    }

    @Provides
    @Singleton
    public static EventWriter createWriter(MemberClusterConfig cluster, QueryEventsConfig config, EventBuffer buffer, EventSpool spool, HikariDataSource dataSource, SchemaGate schema, QueryEventStats stats)
    {
        log.info("Switchboard query events for cluster %s go to %s (spool %s)", cluster.getClusterName(), dataSource.getJdbcUrl(), Path.of(config.getSpoolDirectory()).toAbsolutePath());
        return new EventWriter(
                buffer,
                spool,
                new QueryEventWriter(Jdbi.create(dataSource)),
                schema::isOpen,
                stats,
                new WriterSettings(config.getBatchSize(), config.getFlushInterval().toMillis(), config.getRetryInterval().toMillis()));
    }
}
