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
package io.switchboard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * JDBC clients running one query after another (each on its own connection) until stopped,
 * counting what succeeded and keeping what failed: the load of rolling restart tests, which must
 * end with no failure.
 */
public final class QueryLoad
{
    private final String jdbcUrl;
    private final String user;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger succeeded = new AtomicInteger();
    private final Map<String, AtomicInteger> succeededBySql = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    public QueryLoad(String jdbcUrl, String user)
    {
        this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
        this.user = requireNonNull(user, "user is null");
    }

    public Connection connect()
            throws SQLException
    {
        return DriverManager.getConnection(jdbcUrl, user, null);
    }

    public boolean isRunning()
    {
        return running.get();
    }

    public void stop()
    {
        running.set(false);
    }

    public int succeeded()
    {
        return succeeded.get();
    }

    public int succeeded(String sql)
    {
        AtomicInteger count = succeededBySql.get(sql);
        return count == null ? 0 : count.get();
    }

    public List<String> failures()
    {
        return List.copyOf(failures);
    }

    public void failed(String what, Throwable failure)
    {
        failures.add(what + ": " + failure);
    }

    /**
     * Runs a query whose single value is a count, again and again until {@link #stop()}.
     */
    public Void run(String sql, long expectedCount)
    {
        while (running.get()) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery(sql)) {
                if (!resultSet.next() || resultSet.getLong(1) != expectedCount) {
                    failures.add(sql + ": not the expected count " + expectedCount);
                    continue;
                }
                succeeded.incrementAndGet();
                succeededBySql.computeIfAbsent(sql, _ -> new AtomicInteger()).incrementAndGet();
            }
            catch (SQLException | RuntimeException e) {
                failed(sql, e);
            }
        }
        return null;
    }
}
