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

import io.switchboard.store.SchemaMigrations;
import io.switchboard.store.history.QueryHistoryDao;
import io.switchboard.store.status.ClusterStatusDao;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import io.trino.jdbc.TrinoResultSet;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

import static io.switchboard.testing.Eventually.assertEventually;
import static io.switchboard.testing.MemberClusters.memberCluster;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation end to end: a real Trino 476 server from the tarball, both Switchboard plugins
 * installed from their zips and configured through etc/, a real MariaDB, a real JDBC client.
 * The database starts empty, as before a gateway's first start: the plugins do not migrate it,
 * they say so once each, and catch up once the schema is there.
 */
final class TestMemberClusterWithPlugins
{
    private static final String CLUSTER = "member-1";

    @Test
    void realTrinoServerLoadsBothPluginsAnswersQueriesAndWaitsForTheSchema()
            throws Exception
    {
        try (TestingMysql mysql = TestingMysql.start();
                TrinoServer trino = memberCluster(CLUSTER, mysql)
                        .withProperty("openmetrics.jmx-object-names", "io.switchboard.plugin.events:*|io.switchboard.plugin.router:*")
                        .start()) {
            String queryId;
            try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "alice", null);
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("SELECT count(*), sum(nationkey) FROM tpch.tiny.nation")) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getLong(1)).isEqualTo(25);
                assertThat(resultSet.getLong(2)).isEqualTo(300);
                queryId = resultSet.unwrap(TrinoResultSet.class).getQueryId();
            }

            assertThat(trino.serverLog())
                    .contains("-- Finished loading plugin " + trino.etcDirectory().getParent().resolve("plugin/plugin-event-listener-1-SNAPSHOT"))
                    .contains("-- Finished loading plugin " + trino.etcDirectory().getParent().resolve("plugin/plugin-router-1-SNAPSHOT"))
                    .contains("Switchboard query events for cluster " + CLUSTER)
                    .contains("Switchboard router for cluster " + CLUSTER);
            String listenerWaits = "The Switchboard database has no schema yet, and the query event listener of cluster " + CLUSTER + " needs schema version ";
            String routerWaits = "The Switchboard database has no schema yet, and the router plugin of cluster " + CLUSTER + " needs schema version ";
            assertEventually(Duration.ofSeconds(60), () -> assertThat(trino.serverLog()).contains(listenerWaits).contains(routerWaits));
            assertThat(mysql.tableCount()).as("tables the plugins created").isZero();

            // the gateway starts and migrates the schema
            SchemaMigrations.apply(mysql.dataSource());
            QueryHistoryDao history = new QueryHistoryDao(mysql.jdbi());
            ClusterStatusDao statuses = new ClusterStatusDao(mysql.jdbi());
            assertEventually(Duration.ofSeconds(60), () -> {
                assertThat(history.get(queryId)).hasValueSatisfying(query -> assertThat(query.endedAt()).isPresent());
                assertThat(statuses.get(CLUSTER)).isPresent();
            });
            String log = trino.serverLog();
            assertThat(occurrences(log, listenerWaits)).as("warnings of the event listener").isEqualTo(1);
            assertThat(occurrences(log, routerWaits)).as("warnings of the router plugin").isEqualTo(1);
            assertThat(log)
                    .contains("now: the query event listener of cluster " + CLUSTER + " goes on")
                    .contains("now: the router plugin of cluster " + CLUSTER + " goes on")
                    .doesNotContain("Cannot write the status of cluster " + CLUSTER);

            // both plugins' figures on Trino's own /metrics, as Prometheus scrapes them: the events
            // spooled while the schema was missing were all replayed
            String metrics = metrics(trino);
            assertThat(metric(metrics, "events", "QueryEvents", "Received")).isGreaterThanOrEqualTo(2);
            assertThat(metric(metrics, "events", "QueryEvents", "Spooled")).isPositive();
            assertThat(metric(metrics, "events", "QueryEvents", "Replayed")).isEqualTo(metric(metrics, "events", "QueryEvents", "Spooled"));
            assertThat(metric(metrics, "events", "QueryEvents", "Queued")).isZero();
            assertThat(metric(metrics, "router", "Router", "StatusReports")).isPositive();
            assertThat(metric(metrics, "router", "Router", "Draining")).isZero();
            assertThat(metric(metrics, "router", "Router", "UnfinishedQueries")).isZero();
        }
    }

    private static String metrics(TrinoServer trino)
            throws Exception
    {
        HttpRequest request = HttpRequest.newBuilder(trino.baseUri().resolve("/metrics")).header("X-Trino-User", "alice").build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /metrics: %s", response.body()).isEqualTo(200);
            return response.body();
        }
    }

    private static double metric(String exposition, String plugin, String type, String attribute)
    {
        String name = "JMX_io_switchboard_plugin_%s_NAME__%s__TYPE_%s_ATTRIBUTE_%s".formatted(plugin, CLUSTER.replace('-', '_'), type, attribute);
        return exposition.lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in:\n" + exposition.lines().filter(line -> line.startsWith("JMX_io_switchboard")).toList()));
    }

    private static int occurrences(String text, String part)
    {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
