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
package io.switchboard.testing;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Member clusters configured the way the README tells operators to configure theirs: both
 * Switchboard plugins unzipped into {@code plugin/} and set up through {@code etc/}. The plugin
 * zips are read from {@code target/plugin-zips} of the working directory, where the modules using
 * this class copy them.
 */
public final class MemberClusters
{
    static final Path PLUGIN_ZIPS = Paths.get("target/plugin-zips");

    private MemberClusters() {}

    public static TrinoServer.Builder memberCluster(String name, TestingMysql mysql)
    {
        return memberCluster(name, mysql, "");
    }

    /**
     * @param extraRouterProperties more lines for etc/switchboard-router.properties
     */
    public static TrinoServer.Builder memberCluster(String name, TestingMysql mysql, String extraRouterProperties)
    {
        String mysqlProperties = mysqlProperties(name, mysql);
        return TrinoServer.builder(name)
                .withPluginZip(PLUGIN_ZIPS.resolve("plugin-event-listener.zip"))
                .withPluginZip(PLUGIN_ZIPS.resolve("plugin-router.zip"))
                .withEtcFile("event-listener.properties", "event-listener.name=switchboard-events\n" + mysqlProperties)
                .withEtcFile("switchboard-router.properties", "access-control.name=switchboard-router\n" + mysqlProperties + extraRouterProperties)
                .withProperty("access-control.config-files", TrinoServer.ETC_DIRECTORY + "/switchboard-router.properties");
    }

    /**
     * A PrestoDB coordinator with the Switchboard plugin for PrestoDB: the query history in
     * {@code etc/event-listener.properties}, the drain in {@code etc/access-control.properties}.
     *
     * @param extraRouterProperties more lines for etc/access-control.properties
     */
    public static PrestoDbServer.Builder prestoDbMemberCluster(String name, TestingMysql mysql, String extraRouterProperties)
    {
        String mysqlProperties = mysqlProperties(name, mysql);
        return PrestoDbServer.builder(name)
                .withPluginZip(PLUGIN_ZIPS.resolve("plugin-presto.zip"))
                .withEtcFile("event-listener.properties", "event-listener.name=switchboard-events\n" + mysqlProperties)
                .withEtcFile("access-control.properties", "access-control.name=switchboard-router\n" + mysqlProperties + extraRouterProperties);
    }

    private static String mysqlProperties(String name, TestingMysql mysql)
    {
        return """
                switchboard.cluster-name=%s
                switchboard.mysql.url=%s
                switchboard.mysql.user=%s
                """.formatted(name, mysql.jdbcUrl(), mysql.connection().user());
    }
}
