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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

public final class TrinoJdbc
{
    private TrinoJdbc() {}

    /**
     * The value of a query that returns one row of one column, read to the end: a result set
     * closed before its query finished cancels the query, and that aborts its transaction.
     */
    public static String singleValue(Statement statement, String sql)
            throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).as(sql).isTrue();
            String value = resultSet.getString(1);
            assertThat(resultSet.next()).as(sql).isFalse();
            return value;
        }
    }

    /**
     * What a client read of a result, in a form two reads can be compared by: the rows, the
     * characters of their values, and a hash that does not depend on the order of the rows.
     */
    public record Checksum(long rows, long characters, long hash) {}

    public static Checksum checksum(String jdbcUrl, String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "checksum-user", null);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            int columns = resultSet.getMetaData().getColumnCount();
            long rows = 0;
            long characters = 0;
            long hash = 0;
            while (resultSet.next()) {
                long rowHash = 1;
                for (int column = 1; column <= columns; column++) {
                    String value = resultSet.getString(column);
                    characters += value == null ? 0 : value.length();
                    rowHash = 31 * rowHash + Objects.hashCode(value);
                }
                hash += rowHash * 0x9E3779B97F4A7C15L;
                rows++;
            }
            return new Checksum(rows, characters, hash);
        }
    }
}
