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

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.switchboard.testing.TestingMysql;
import io.trino.jdbc.TrinoDriver;
import io.trino.jdbc.TrinoResultSet;
import io.trino.spi.eventlistener.EventListenerFactory.EventListenerContext;
import io.trino.testing.DistributedQueryRunner;

import javax.sql.DataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;

/**
 * Listeners built the way Trino builds them (the factory and the properties of
 * etc/event-listener.properties), real Trino clients, and a look at what reached MySQL.
 */
final class TestingListeners
{
    private TestingListeners() {}

    static QueryEventListener create(String clusterName, TestingMysql mysql, Path spoolDirectory)
    {
        Map<String, String> properties = Map.of(
                "switchboard.cluster-name", clusterName,
                "switchboard.mysql.url", mysql.jdbcUrl(),
                "switchboard.mysql.user", mysql.connection().user(),
                "switchboard.spool.directory", spoolDirectory.toString(),
                "switchboard.flush-interval", "50ms",
                "switchboard.retry-interval", "200ms",
                "switchboard.mysql.connect-timeout", "500ms");
        return (QueryEventListener) new SwitchboardEventsPlugin().getEventListenerFactories().iterator().next()
                .create(properties, new TestingContext());
    }

    static Connection connect(DistributedQueryRunner trino, String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("source", "switchboard-test");
        return new TrinoDriver().connect("jdbc:trino://" + trino.getCoordinator().getAddress() + "/tpch/tiny", properties);
    }

    /**
     * Runs the query to its end, reading every row, and returns its query id.
     */
    static String run(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                // read all
            }
            return resultSet.unwrap(TrinoResultSet.class).getQueryId();
        }
    }

    /**
     * Waits until every query has a completed row (a final state and an end time).
     */
    static void awaitCompleted(DataSource dataSource, Collection<String> queryIds, Duration timeout)
            throws Exception
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        long completed = 0;
        while (System.nanoTime() < deadline) {
            completed = countCompleted(dataSource, queryIds);
            if (completed == queryIds.size()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("only %s of %s queries completed in MySQL within %s".formatted(completed, queryIds.size(), timeout));
    }

    /**
     * Waits until the counter reaches {@code atLeast} or the time is over, and returns its value.
     */
    static long awaitCounter(LongSupplier counter, long atLeast, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return counter.getAsLong();
    }

    static long countCompleted(DataSource dataSource, Collection<String> queryIds)
            throws SQLException
    {
        String placeholders = String.join(",", queryIds.stream().map(_ -> "?").toList());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM queries WHERE ended_at IS NOT NULL AND state IN ('FINISHED', 'FAILED') AND query_id IN (" + placeholders + ")")) {
            int index = 1;
            for (String queryId : queryIds) {
                statement.setString(index++, queryId);
            }
            try (ResultSet resultSet = statement.executeQuery()) {
                resultSet.next();
                return resultSet.getLong(1);
            }
        }
    }

    /**
     * Closes each resource that is not null, in order, even when one fails.
     */
    static void closeAll(AutoCloseable... resources)
            throws Exception
    {
        Exception failure = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            }
            catch (Exception e) {
                if (failure == null) {
                    failure = e;
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class TestingContext
            implements EventListenerContext
    {
        @Override
        public String getVersion()
        {
            return "476";
        }

        @Override
        public OpenTelemetry getOpenTelemetry()
        {
            return OpenTelemetry.noop();
        }

        @Override
        public Tracer getTracer()
        {
            return OpenTelemetry.noop().getTracer("test");
        }
    }
}
