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

import com.google.inject.Inject;
import com.zaxxer.hikari.HikariDataSource;
import io.airlift.log.Logger;
import io.switchboard.plugin.events.EventWriter.WriterSettings;
import io.switchboard.store.history.QueryEventWriter;
import io.switchboard.store.plugin.MemberClusterConfig;
import io.switchboard.store.plugin.SchemaGate;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryCreatedEvent;
import org.jdbi.v3.core.Jdbi;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Records every query's life in MySQL without ever slowing Trino: the listener methods only map
 * the event and queue it; {@link EventWriter} does the rest on its own thread.
 */
public class QueryEventListener
        implements EventListener
{
    private static final Logger log = Logger.get(QueryEventListener.class);
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 60_000;

    private final EventMapper mapper;
    private final QueryEventStats stats = new QueryEventStats();
    private final EventBuffer buffer;
    private final EventSpool spool;
    private final HikariDataSource dataSource;
    private final EventWriter writer;
    private final QueryEventsMBean mbean;
    private final ObjectName objectName;

    @Inject
    public QueryEventListener(QueryEventsConfig config, MemberClusterConfig cluster, HikariDataSource dataSource)
    {
        requireNonNull(config, "config is null");
        String clusterName = cluster.getClusterName();
        this.mapper = new EventMapper(clusterName, config.getMaxQueryTextLength());
        this.buffer = new EventBuffer(config.getQueueSize(), stats);
        this.spool = new EventSpool(Path.of(config.getSpoolDirectory()), config.getSpoolMaxSize().toBytes(), stats);
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.writer = new EventWriter(
                buffer,
                spool,
                new QueryEventWriter(Jdbi.create(dataSource)),
                new SchemaGate(dataSource, "the query event listener of cluster " + clusterName, "its events are kept in the spool until then")::isOpen,
                stats,
                new WriterSettings(config.getBatchSize(), config.getFlushInterval().toMillis(), config.getRetryInterval().toMillis()));
        this.mbean = new QueryEventsMBean(stats, buffer, spool);
        this.objectName = objectName(clusterName);
        registerMBean();
        writer.start();
        log.info("Switchboard query events for cluster %s go to %s (spool %s)", clusterName, dataSource.getJdbcUrl(), Path.of(config.getSpoolDirectory()).toAbsolutePath());
    }

    @Override
    public void queryCreated(QueryCreatedEvent event)
    {
        long start = System.nanoTime();
        buffer.add(mapper.created(event));
        stats.listenerCall(System.nanoTime() - start);
    }

    @Override
    public void queryCompleted(QueryCompletedEvent event)
    {
        long start = System.nanoTime();
        buffer.add(mapper.completed(event));
        stats.listenerCall(System.nanoTime() - start);
    }

    /**
     * The counters also exported over JMX.
     */
    public QueryEventsMXBean stats()
    {
        return mbean;
    }

    @Override
    public void shutdown()
    {
        try {
            writer.stop(SHUTDOWN_TIMEOUT_MILLIS);
            spool.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (IOException e) {
            log.error(e, "Cannot close the spool");
        }
        finally {
            dataSource.close();
            unregisterMBean();
        }
    }

    private static ObjectName objectName(String clusterName)
    {
        try {
            return new ObjectName("io.switchboard.plugin.events:type=QueryEvents,name=" + ObjectName.quote(clusterName));
        }
        catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void registerMBean()
    {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(mbean, objectName);
        }
        catch (JMException e) {
            log.warn("Cannot export the listener's counters as %s: %s", objectName, e.getMessage());
        }
    }

    private void unregisterMBean()
    {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
        }
        catch (JMException e) {
            log.warn("Cannot unexport %s: %s", objectName, e.getMessage());
        }
    }
}
