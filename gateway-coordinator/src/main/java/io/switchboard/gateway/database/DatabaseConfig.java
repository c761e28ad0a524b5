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
package io.switchboard.gateway.database;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.Optional;

public class DatabaseConfig
{
    private String url;
    private String user = "root";
    private String password = "";
    private String embeddedDataDirectory = "var/mysql";
    private int maxConnections = 8;

    public Optional<@Pattern(regexp = "jdbc:mysql://.*", message = "must be a jdbc:mysql:// URL") String> getUrl()
    {
        return Optional.ofNullable(url);
    }

    @Config("database.url")
    @ConfigDescription("JDBC URL of the Switchboard MySQL database; unset starts an embedded MySQL")
    public DatabaseConfig setUrl(String url)
    {
        this.url = url;
        return this;
    }

    @NotNull
    public String getUser()
    {
        return user;
    }

    @Config("database.user")
    public DatabaseConfig setUser(String user)
    {
        this.user = user;
        return this;
    }

    @NotNull
    public String getPassword()
    {
        return password;
    }

    @Config("database.password")
    @ConfigSecuritySensitive
    public DatabaseConfig setPassword(String password)
    {
        this.password = password;
        return this;
    }

    @NotNull
    public String getEmbeddedDataDirectory()
    {
        return embeddedDataDirectory;
    }

    @Config("database.embedded.data-dir")
    @ConfigDescription("Where the embedded MySQL keeps its data when database.url is not set")
    public DatabaseConfig setEmbeddedDataDirectory(String embeddedDataDirectory)
    {
        this.embeddedDataDirectory = embeddedDataDirectory;
        return this;
    }

    @Min(1)
    public int getMaxConnections()
    {
        return maxConnections;
    }

    @Config("database.max-connections")
    public DatabaseConfig setMaxConnections(int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }
}
