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

import static java.util.Objects.requireNonNull;

/**
 * Where a component finds MySQL. The password never appears in {@link #toString()}.
 */
public record MysqlConnection(String jdbcUrl, String user, String password)
{
    public MysqlConnection
    {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        password = password == null ? "" : password;
        if (!jdbcUrl.startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("MySQL JDBC URL must start with jdbc:mysql: but was: " + jdbcUrl);
        }
    }

    @Override
    public String toString()
    {
        return "MysqlConnection[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
    }
}
