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
package io.switchboard.gateway;

import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static io.switchboard.gateway.MemberClusters.memberCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation end to end: a real Trino 476 server from the tarball, both Switchboard plugins
 * installed from their zips and configured through etc/, a real MariaDB, a real JDBC client.
 */
final class TestMemberClusterWithPlugins
{
    @Test
    void realTrinoServerLoadsBothPluginsAndAnswersQueries()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.start();
                TrinoServer trino = memberCluster("member-1", mysql).start()) {
            try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "alice", null);
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("SELECT count(*), sum(nationkey) FROM tpch.tiny.nation")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getLong(1)).isEqualTo(25);
                assertThat(resultSet.getLong(2)).isEqualTo(300);
            }

            String log = trino.serverLog();
            assertThat(log)
                    .contains("-- Finished loading plugin " + trino.etcDirectory().getParent().resolve("plugin/plugin-event-listener-1-SNAPSHOT"))
                    .contains("-- Finished loading plugin " + trino.etcDirectory().getParent().resolve("plugin/plugin-router-1-SNAPSHOT"))
                    .contains("Switchboard query events for cluster member-1")
                    .contains("Switchboard router for cluster member-1");

            // the plugins applied the schema to the database named in etc/
            try (Connection connection = mysql.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("SELECT count(*) FROM schema_history WHERE success = 1")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getInt(1)).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
