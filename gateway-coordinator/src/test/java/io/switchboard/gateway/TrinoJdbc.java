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

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
}
