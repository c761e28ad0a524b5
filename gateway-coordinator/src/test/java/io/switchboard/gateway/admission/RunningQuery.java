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
package io.switchboard.gateway.admission;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A query that holds its admission slot: its client read the first row and waits. Closing it
 * cancels the query and closes its connection.
 */
record RunningQuery(Connection connection, Statement statement, ResultSet resultSet)
        implements AutoCloseable
{
    static RunningQuery start(Connection connection, String sql)
            throws SQLException
    {
        Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(sql);
        assertThat(resultSet.next()).isTrue();
        return new RunningQuery(connection, statement, resultSet);
    }

    @Override
    public void close()
            throws SQLException
    {
        // closing the result set of an unfinished query cancels it
        resultSet.close();
        statement.close();
        connection.close();
    }
}
