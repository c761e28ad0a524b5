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
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import static java.util.Comparator.naturalOrder;
import static java.util.Objects.requireNonNull;

/**
 * The Switchboard schema. Only the gateway applies it, when it starts (or {@code bin/switchboard
 * migrate}): Flyway serializes concurrent runs of several replicas with a database lock, and a
 * schema that is already current is left untouched. The plugins only {@link #check} it, through
 * {@link io.switchboard.store.plugin.SchemaGate}.
 */
public final class SchemaMigrations
{
    static final String LOCATION = "classpath:io/switchboard/store/migration";
    private static final String HISTORY_TABLE = "schema_history";
    private static final MigrationVersion REQUIRED_VERSION = MigrationVersion.fromVersion("16");

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
     * The schema version this code needs: that of the newest migration in {@link #LOCATION}.
     * Raise it with every new migration (TestSchemaMigrations fails until it is).
     */
    public static String requiredVersion()
    {
        return REQUIRED_VERSION.getVersion();
    }

    /**
     * Reads, without changing anything, the version the database's schema is at, and compares it
     * with {@link #requiredVersion()}. A newer schema (migrated by a gateway of a later release)
     * is up to date; a failed migration does not count. A plain read of the schema history,
     * cheap enough to repeat every few seconds, unlike Flyway's info(), which scans the class
     * path and logs each time.
     *
     * @throws RuntimeException when MySQL cannot be reached
     */
    public static SchemaStatus check(DataSource dataSource)
    {
        requireNonNull(dataSource, "dataSource is null");
        List<String> applied = Jdbi.create(dataSource).withHandle(handle -> {
            boolean exists = handle.createQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :table")
                    .bind("table", HISTORY_TABLE)
                    .mapTo(Integer.class)
                    .one() > 0;
            if (!exists) {
                return List.of();
            }
            return handle.createQuery("SELECT version FROM " + HISTORY_TABLE + " WHERE success = 1 AND version IS NOT NULL")
                    .mapTo(String.class)
                    .list();
        });
        Optional<MigrationVersion> current = applied.stream()
                .map(MigrationVersion::fromVersion)
                .max(naturalOrder());
        return new SchemaStatus(
                current.map(MigrationVersion::getVersion),
                requiredVersion(),
                current.isPresent() && current.get().compareTo(REQUIRED_VERSION) >= 0);
    }

    private static Flyway flyway(DataSource dataSource)
    {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
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
