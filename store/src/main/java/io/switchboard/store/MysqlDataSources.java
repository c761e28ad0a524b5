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

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.util.regex.Pattern;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The one way every Switchboard component connects to MySQL: a small Hikari pool whose
 * sessions run in UTC, so DATETIME columns always hold UTC times, and whose connections carry
 * the connect and socket timeouts of the {@link MysqlConnection}: a MySQL that stops answering
 * fails the statement after the socket timeout instead of holding its thread for good. A
 * {@code connectTimeout} or {@code socketTimeout} named in the JDBC URL wins over them, as the
 * router plugin's URL always did.
 */
public final class MysqlDataSources
{
    private MysqlDataSources() {}

    public static HikariDataSource create(MysqlConnection connection, String poolName, int maxPoolSize)
    {
        return new HikariDataSource(config(connection, poolName, maxPoolSize));
    }

    /**
     * A one-connection pool for large multi-row writes, such as the gateway's routing rows: each
     * multi-row statement is prepared on the server, and kept, so MySQL parses it once per
     * statement size instead of parsing every batch's values.
     * That costs MariaDB about a quarter less CPU per row than the same rows sent as SQL text.
     */
    public static HikariDataSource createForBatches(MysqlConnection connection, String poolName)
    {
        HikariConfig config = config(connection, poolName, 1);
        config.addDataSourceProperty("useServerPrepStmts", "true");
        // a 512-row route statement is about 23,500 characters long
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "65536");
        return new HikariDataSource(config);
    }

    private static HikariConfig config(MysqlConnection connection, String poolName, int maxPoolSize)
    {
        requireNonNull(connection, "connection is null");
        requireNonNull(poolName, "poolName is null");
        checkArgument(maxPoolSize > 0, "maxPoolSize must be positive");
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        // named explicitly: DriverManager cannot see drivers inside a Trino plugin class loader
        config.setDriverClassName("com.mysql.cj.jdbc.Driver");
        config.setJdbcUrl(connection.jdbcUrl());
        config.setUsername(connection.user());
        config.setPassword(connection.password());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        long connectTimeoutMillis = connection.connectTimeout().toMillis();
        config.setConnectionTimeout(Math.max(250, connectTimeoutMillis));
        config.setValidationTimeout(Math.max(250, Math.min(connectTimeoutMillis, 5_000)));
        // start without a database: callers keep working and retry, MySQL may come up later
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectionTimeZone", "UTC");
        config.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
        // the driver lets these properties override the URL's: set only those the URL does not name
        if (!namesProperty(connection.jdbcUrl(), "connectTimeout")) {
            config.addDataSourceProperty("connectTimeout", String.valueOf(connectTimeoutMillis));
        }
        if (!namesProperty(connection.jdbcUrl(), "socketTimeout")) {
            config.addDataSourceProperty("socketTimeout", String.valueOf(connection.socketTimeout().toMillis()));
        }
        config.addDataSourceProperty("rewriteBatchedStatements", "true");
        config.addDataSourceProperty("cachePrepStmts", "true");
        // beyond the default limit (256 characters) the upserts would be parsed again at every execution
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "4096");
        config.addDataSourceProperty("prepStmtCacheSize", "256");
        config.addDataSourceProperty("useServerPrepStmts", "false");
        // no round trip to read or set what the driver already knows (auto-commit, isolation, read-only)
        config.addDataSourceProperty("useLocalSessionState", "true");
        config.addDataSourceProperty("cacheServerConfiguration", "true");
        // a span per statement cost a few percent of the gateway's CPU on submits; nothing consumes them
        config.addDataSourceProperty("openTelemetry", "DISABLED");
        return config;
    }

    private static boolean namesProperty(String jdbcUrl, String property)
    {
        // the driver reads property names in any case
        return Pattern.compile("[?&]" + property + "=", Pattern.CASE_INSENSITIVE).matcher(jdbcUrl).find();
    }
}
