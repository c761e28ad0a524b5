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
package io.switchboard.gateway.history;

import io.switchboard.gateway.TestingGateway;
import io.switchboard.testing.TestingMysql;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class TestHistoryRetention
{
    @Test
    void queriesOlderThanTheRetentionAreDeletedInTheBackground()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.startWithSchema()) {
            try (Connection connection = mysql.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO queries (query_id, cluster_name, state, created_at) VALUES " +
                        "('q_old', 'adhoc-1', 'FINISHED', UTC_TIMESTAMP(3) - INTERVAL 40 DAY), " +
                        "('q_recent', 'adhoc-1', 'FINISHED', UTC_TIMESTAMP(3) - INTERVAL 20 DAY)");
                statement.execute("INSERT INTO query_tables (query_id, catalog_name, schema_name, table_name) VALUES " +
                        "('q_old', 'tpch', 'tiny', 'nation'), ('q_recent', 'tpch', 'tiny', 'nation')");
            }
            try (TestingGateway _ = new TestingGateway(mysql, Map.of("history.retention", "30d", "history.retention-interval", "1s"))) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (queryIds(mysql, "queries").contains("q_old") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
            assertThat(queryIds(mysql, "queries")).containsExactly("q_recent");
            assertThat(queryIds(mysql, "query_tables")).containsExactly("q_recent");
        }
    }

    private static List<String> queryIds(TestingMysql mysql, String table)
            throws SQLException
    {
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT query_id FROM " + table + " ORDER BY query_id")) {
            List<String> ids = new ArrayList<>();
            while (resultSet.next()) {
                ids.add(resultSet.getString(1));
            }
            return ids;
        }
    }
}
