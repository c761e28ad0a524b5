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
package io.switchboard.plugin.events;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

public class QueryEventsConfig
{
    private String clusterName;
    private String mysqlUrl;
    private String mysqlUser = "root";
    private String mysqlPassword = "";

    @NotNull
    @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}", message = "must be 1-128 letters, digits, '_', '.' or '-'")
    public String getClusterName()
    {
        return clusterName;
    }

    @Config("switchboard.cluster-name")
    @ConfigDescription("Name of this cluster as the gateway knows it")
    public QueryEventsConfig setClusterName(String clusterName)
    {
        this.clusterName = clusterName;
        return this;
    }

    @NotNull
    @Pattern(regexp = "jdbc:mysql:.*", message = "must be a jdbc:mysql: URL")
    public String getMysqlUrl()
    {
        return mysqlUrl;
    }

    @Config("switchboard.mysql.url")
    @ConfigDescription("JDBC URL of the Switchboard MySQL database")
    public QueryEventsConfig setMysqlUrl(String mysqlUrl)
    {
        this.mysqlUrl = mysqlUrl;
        return this;
    }

    @NotNull
    public String getMysqlUser()
    {
        return mysqlUser;
    }

    @Config("switchboard.mysql.user")
    public QueryEventsConfig setMysqlUser(String mysqlUser)
    {
        this.mysqlUser = mysqlUser;
        return this;
    }

    @NotNull
    public String getMysqlPassword()
    {
        return mysqlPassword;
    }

    @Config("switchboard.mysql.password")
    @ConfigSecuritySensitive
    public QueryEventsConfig setMysqlPassword(String mysqlPassword)
    {
        this.mysqlPassword = mysqlPassword;
        return this;
    }
}
