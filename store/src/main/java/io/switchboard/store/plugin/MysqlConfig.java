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
package io.switchboard.store.plugin;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import io.airlift.units.Duration;
import io.airlift.units.MaxDuration;
import io.airlift.units.MinDuration;
import io.switchboard.store.MysqlConnection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * The Switchboard MySQL database as both plugins are told where it is, in their own properties
 * files: the same {@code switchboard.mysql.*} properties for each.
 */
public class MysqlConfig
{
    private String url;
    private String user = "root";
    private String password = "";
    private Duration connectTimeout = new Duration(5, SECONDS);
    private Duration socketTimeout = new Duration(5, SECONDS);

    @NotNull
    @Pattern(regexp = "jdbc:mysql:.*", message = "must be a jdbc:mysql: URL")
    public String getUrl()
    {
        return url;
    }

    @Config("switchboard.mysql.url")
    @ConfigDescription("JDBC URL of the Switchboard MySQL database")
    public MysqlConfig setUrl(String url)
    {
        this.url = url;
        return this;
    }

    @NotNull
    public String getUser()
    {
        return user;
    }

    @Config("switchboard.mysql.user")
    @ConfigDescription("MySQL user")
    public MysqlConfig setUser(String user)
    {
        this.user = user;
        return this;
    }

    @NotNull
    public String getPassword()
    {
        return password;
    }

    @Config("switchboard.mysql.password")
    @ConfigDescription("MySQL password")
    @ConfigSecuritySensitive
    public MysqlConfig setPassword(String password)
    {
        this.password = password;
        return this;
    }

    @NotNull
    @MinDuration("250ms")
    @MaxDuration("1m")
    public Duration getConnectTimeout()
    {
        return connectTimeout;
    }

    @Config("switchboard.mysql.connect-timeout")
    @ConfigDescription("How long to wait for a MySQL connection; the event listener then spools the batch to disk")
    public MysqlConfig setConnectTimeout(Duration connectTimeout)
    {
        this.connectTimeout = connectTimeout;
        return this;
    }

    @NotNull
    @MinDuration("250ms")
    @MaxDuration("1h")
    public Duration getSocketTimeout()
    {
        return socketTimeout;
    }

    @Config("switchboard.mysql.socket-timeout")
    @ConfigDescription("How long to wait for MySQL to answer on an open connection before the statement fails, so that a MySQL gone silent holds no thread for good")
    public MysqlConfig setSocketTimeout(Duration socketTimeout)
    {
        this.socketTimeout = socketTimeout;
        return this;
    }

    public MysqlConnection toConnection()
    {
        // toMillis, not toJavaTime(): the PrestoDB plugin runs with the server's airlift units 1.3
        return new MysqlConnection(url, user, password, java.time.Duration.ofMillis(connectTimeout.toMillis()), java.time.Duration.ofMillis(socketTimeout.toMillis()));
    }
}
