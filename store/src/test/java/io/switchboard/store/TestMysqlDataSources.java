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

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The timeouts every component's pool carries, on a real MariaDB.
 */
@TestInstance(PER_CLASS)
final class TestMysqlDataSources
{
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @AutoClose
    private final EmbeddedMysql mysql = EmbeddedMysql.startTemporary("switchboard");

    @Test
    void socketTimeoutEndsAStatementMysqlDoesNotAnswer()
            throws Exception
    {
        try (HikariDataSource pool = MysqlDataSources.create(mysql.connection().withTimeouts(ONE_SECOND, ONE_SECOND), "bounded", 1)) {
            assertThat(sleep(pool, 0.1)).isZero();
            long start = System.nanoTime();
            assertThatThrownBy(() -> sleep(pool, 3))
                    .isInstanceOf(SQLException.class)
                    .hasStackTraceContaining("Read timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_900));
        }
    }

    @Test
    void timeoutsNamedInTheUrlWin()
            throws Exception
    {
        MysqlConnection connection = new MysqlConnection(mysql.jdbcUrl() + "?socketTimeout=10000", mysql.connection().user(), "", ONE_SECOND, ONE_SECOND);
        try (HikariDataSource pool = MysqlDataSources.create(connection, "url-timeout", 1)) {
            assertThat(sleep(pool, 2)).isZero();
        }
    }

    @Test
    void migrationsAreNotBoundedByTheSocketTimeoutAndThePoolRestoresIt()
            throws Exception
    {
        try (HikariDataSource pool = MysqlDataSources.create(mysql.connection().withTimeouts(ONE_SECOND, ONE_SECOND), "migrations", 1)) {
            assertThat(sleep(new SchemaMigrations.WithoutSocketTimeout(pool), 2)).isZero();
            // the same physical connection, back in the pool
            assertThatThrownBy(() -> sleep(pool, 3)).hasStackTraceContaining("Read timed out");
        }
    }

    private static int sleep(DataSource dataSource, double seconds)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT SLEEP(" + seconds + ")")) {
            resultSet.next();
            return resultSet.getInt(1);
        }
    }
}
