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
package io.switchboard.store.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One table access in MariaDB's plan of an analytics or history query (a row of EXPLAIN): the access type
 * ({@code range}, {@code ref}, {@code eq_ref}, {@code index}, {@code ALL}, ...), the index chosen
 * and the rows MariaDB expects to read.
 */
public record QueryPlan(String query, String table, String type, Optional<String> key, Optional<String> possibleKeys, long rows, Optional<String> extra)
{
    public QueryPlan
    {
        requireNonNull(query, "query is null");
        requireNonNull(table, "table is null");
        requireNonNull(type, "type is null");
        requireNonNull(key, "key is null");
        requireNonNull(possibleKeys, "possibleKeys is null");
        requireNonNull(extra, "extra is null");
    }

    /**
     * The current row of an EXPLAIN result.
     */
    public static QueryPlan read(String query, ResultSet rs)
            throws SQLException
    {
        return new QueryPlan(
                query,
                rs.getString("table"),
                Optional.ofNullable(rs.getString("type")).orElse(""),
                Optional.ofNullable(rs.getString("key")),
                Optional.ofNullable(rs.getString("possible_keys")),
                rs.getLong("rows"),
                Optional.ofNullable(rs.getString("Extra")));
    }
}
