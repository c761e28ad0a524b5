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
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestEmbeddedMysqlRestart
{
    @Test
    void stopAndStartKeepPortAndData()
    {
        try (EmbeddedMysql mysql = EmbeddedMysql.startTemporary("switchboard")) {
            int port = mysql.port();
            try (HikariDataSource pool = MysqlDataSources.create(mysql.connection(), "restart", 1)) {
                Jdbi.create(pool).useHandle(handle -> {
                    handle.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
                    handle.execute("INSERT INTO kept VALUES (42)");
                });
            }

            mysql.stopServer();
            assertThatThrownBy(() -> connect(mysql)).isInstanceOf(SQLException.class);

            mysql.startServer();
            assertThat(mysql.port()).isEqualTo(port);
            try (HikariDataSource pool = MysqlDataSources.create(mysql.connection(), "restarted", 1)) {
                List<Integer> ids = Jdbi.create(pool).withHandle(handle -> handle.createQuery("SELECT id FROM kept").mapTo(Integer.class).list());
                assertThat(ids).containsExactly(42);
            }
        }
    }

    private static void connect(EmbeddedMysql mysql)
            throws SQLException
    {
        try (Connection _ = DriverManager.getConnection(mysql.jdbcUrl(), "root", "")) {
            throw new AssertionError("connected to a stopped server");
        }
    }
}
