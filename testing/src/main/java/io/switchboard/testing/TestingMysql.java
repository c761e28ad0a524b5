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

import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.EmbeddedMysql;
import io.switchboard.store.MysqlConnection;
import io.switchboard.store.MysqlDataSources;
import io.switchboard.store.SchemaMigrations;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static java.util.Objects.requireNonNull;

/**
 * A throw-away real MariaDB for a test class, with the Switchboard schema applied and a pool to
 * inspect what the code under test wrote.
 */
public final class TestingMysql
        implements AutoCloseable
{
    private final EmbeddedMysql mysql;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private TestingMysql(EmbeddedMysql mysql)
    {
        this.mysql = requireNonNull(mysql, "mysql is null");
        this.dataSource = MysqlDataSources.create(mysql.connection(), "testing-mysql", 4);
        this.jdbi = Jdbi.create(dataSource);
    }

    public static TestingMysql start()
    {
        return new TestingMysql(EmbeddedMysql.startTemporary("switchboard"));
    }

    public static TestingMysql startWithSchema()
    {
        TestingMysql mysql = start();
        SchemaMigrations.apply(mysql.dataSource());
        return mysql;
    }

    public MysqlConnection connection()
    {
        return mysql.connection();
    }

    public String jdbcUrl()
    {
        return mysql.jdbcUrl();
    }

    public int port()
    {
        return mysql.port();
    }

    public HikariDataSource dataSource()
    {
        return dataSource;
    }

    /**
     * For the DAOs of {@code store}, on {@link #dataSource()}.
     */
    public Jdbi jdbi()
    {
        return jdbi;
    }

    /**
     * How many tables the database has: none before the schema is applied.
     */
    public long tableCount()
    {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()")
                .mapTo(Long.class)
                .one());
    }

    /**
     * Runs one SQL statement (a test's setup or damage) as the database's owner.
     */
    public void execute(String sql)
    {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot execute " + sql, e);
        }
    }

    /**
     * Stops the server; its port and data stay for {@link #startServer()}. The pool keeps retrying.
     */
    public void stopServer()
    {
        mysql.stopServer();
    }

    /**
     * Starts the server again after {@link #stopServer()}, on the same port and with the same data.
     */
    public void startServer()
    {
        mysql.startServer();
    }

    @Override
    public void close()
    {
        try (mysql) {
            dataSource.close();
        }
    }
}
