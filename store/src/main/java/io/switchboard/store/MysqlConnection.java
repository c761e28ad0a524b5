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

import java.time.Duration;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Where a component finds MySQL, and how long it waits for it: to open a connection, and for
 * any answer on an open one (the socket timeout), so that no component hangs on a MySQL that
 * went away without closing its connections. The password never appears in {@link #toString()}.
 */
public record MysqlConnection(String jdbcUrl, String user, String password, Duration connectTimeout, Duration socketTimeout)
{
    /**
     * The gateway's timeouts, also those of tools and tests. The socket timeout bounds the slowest
     * statement, such as a search of a long query history; schema migrations are not bounded by it.
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofMinutes(1);

    public MysqlConnection
    {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        password = password == null ? "" : password;
        if (!jdbcUrl.startsWith("jdbc:mysql:")) {
            throw new IllegalArgumentException("MySQL JDBC URL must start with jdbc:mysql: but was: " + jdbcUrl);
        }
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(socketTimeout, "socketTimeout is null");
        // zero would mean no timeout at all to the driver
        checkArgument(connectTimeout.toMillis() > 0, "connectTimeout must be at least 1 ms: %s", connectTimeout);
        checkArgument(socketTimeout.toMillis() > 0, "socketTimeout must be at least 1 ms: %s", socketTimeout);
    }

    public MysqlConnection(String jdbcUrl, String user, String password)
    {
        this(jdbcUrl, user, password, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT);
    }

    public MysqlConnection withTimeouts(Duration connectTimeout, Duration socketTimeout)
    {
        return new MysqlConnection(jdbcUrl, user, password, connectTimeout, socketTimeout);
    }

    @Override
    public String toString()
    {
        return "MysqlConnection[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout + "]";
    }
}
