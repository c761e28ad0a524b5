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
package io.switchboard.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

import javax.sql.DataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Logger;

import static java.util.Comparator.naturalOrder;
import static java.util.Objects.requireNonNull;

/**
 * Applies the Switchboard schema. Gateways, event listeners and router plugins all call this
 * at start-up: Flyway serializes concurrent runs with a database lock, and a schema that is
 * already current is left untouched. {@link #check} reads the schema's version without changing it.
 */
public final class SchemaMigrations
{
    static final String LOCATION = "classpath:io/switchboard/store/migration";

    private SchemaMigrations() {}

    /**
     * @return the number of migrations this call applied
     */
    public static int apply(DataSource dataSource)
    {
        requireNonNull(dataSource, "dataSource is null");
        return flyway(new WithoutSocketTimeout(dataSource))
                .migrate()
                .migrationsExecuted;
    }

    /**
     * Reads, without changing anything, the version the database's schema is at and the version
     * this code needs: that of the newest migration it ships. A newer schema (a gateway upgraded
     * first) is up to date.
     *
     * @throws RuntimeException when MySQL cannot be reached
     */
    public static SchemaStatus check(DataSource dataSource)
    {
        requireNonNull(dataSource, "dataSource is null");
        MigrationInfo[] migrations = flyway(dataSource).info().all();
        MigrationVersion required = newest(migrations, MigrationState::isResolved)
                .orElseThrow(() -> new IllegalStateException("No migration found in " + LOCATION));
        Optional<MigrationVersion> current = newest(migrations, state -> state.isApplied() && !state.isFailed());
        return new SchemaStatus(
                current.map(MigrationVersion::getVersion),
                required.getVersion(),
                current.isPresent() && current.get().compareTo(required) >= 0);
    }

    private static Optional<MigrationVersion> newest(MigrationInfo[] migrations, Predicate<MigrationState> state)
    {
        return Arrays.stream(migrations)
                .filter(migration -> migration.getVersion() != null && state.test(migration.getState()))
                .map(MigrationInfo::getVersion)
                .max(naturalOrder());
    }

    private static Flyway flyway(DataSource dataSource)
    {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table("schema_history")
                .failOnMissingLocations(true)
                .load();
    }

    /**
     * Hands out the pool's connections without their socket timeout: a migration that rebuilds a
     * large table takes as long as it takes. The pool restores the timeout when they go back.
     */
    static final class WithoutSocketTimeout
            implements DataSource
    {
        private final DataSource pool;

        WithoutSocketTimeout(DataSource pool)
        {
            this.pool = requireNonNull(pool, "pool is null");
        }

        @Override
        public Connection getConnection()
                throws SQLException
        {
            return withoutTimeout(pool.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password)
                throws SQLException
        {
            return withoutTimeout(pool.getConnection(username, password));
        }

        private static Connection withoutTimeout(Connection connection)
                throws SQLException
        {
            try {
                connection.setNetworkTimeout(Runnable::run, 0);
                return connection;
            }
            catch (SQLException | RuntimeException e) {
                try (connection) {
                    throw e;
                }
            }
        }

        @Override
        public PrintWriter getLogWriter()
                throws SQLException
        {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out)
                throws SQLException
        {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds)
                throws SQLException
        {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout()
                throws SQLException
        {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger()
                throws SQLFeatureNotSupportedException
        {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type)
                throws SQLException
        {
            return pool.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type)
                throws SQLException
        {
            return pool.isWrapperFor(type);
        }
    }
}
