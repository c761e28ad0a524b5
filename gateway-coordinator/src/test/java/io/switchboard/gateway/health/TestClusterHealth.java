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
package io.switchboard.gateway.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableMap;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.switchboard.gateway.TestingGateway;
import io.switchboard.gateway.notify.WebhookReceiver;
import io.switchboard.testing.TestingMysql;
import io.switchboard.testing.TrinoServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.gateway.TestingGateway.json;
import static io.switchboard.testing.Closeables.closeAll;
import static io.switchboard.testing.Eventually.awaitTrue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Real Trino 476 clusters behind two gateway replicas probing them every second, with a real SMTP
 * server and a real webhook receiver: what an operator sees when a cluster dies, comes back, or is
 * misconfigured, and while the replica sending the notifications stops.
 */
@TestInstance(PER_CLASS)
final class TestClusterHealth
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final List<String> REPLICA_IDS = List.of("gateway-health-1", "gateway-health-2");

    private TestingMysql mysql;
    private TrinoServer adhoc1;
    private TrinoServer adhoc2;
    private GreenMail mail;
    private WebhookReceiver webhook;
    // the replicas still running, by gateway id
    private final Map<String, TestingGateway> replicas = new LinkedHashMap<>();

    @BeforeAll
    void start()
    {
        mysql = TestingMysql.start();
        CompletableFuture<TrinoServer> first = CompletableFuture.supplyAsync(() -> TrinoServer.builder("adhoc-1").start());
        CompletableFuture<TrinoServer> second = CompletableFuture.supplyAsync(() -> TrinoServer.builder("adhoc-2").start());
        adhoc1 = first.join();
        adhoc2 = second.join();
        mail = new GreenMail(new ServerSetup(3025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        webhook = new WebhookReceiver();
        for (String gatewayId : REPLICA_IDS) {
            replicas.put(gatewayId, new TestingGateway(mysql, replicaProperties(gatewayId)));
        }
        api().addCluster(adhoc1, "adhoc");
        api().addCluster(adhoc2, "adhoc");
    }

    private Map<String, String> replicaProperties(String gatewayId)
    {
        return ImmutableMap.<String, String>builder()
                .put("gateway.id", gatewayId)
                .put("health.check-interval", CHECK_INTERVAL.toMillis() + "ms")
                .put("health.timeout", "1s")
                .put("health.failure-threshold", "2")
                .put("health.success-threshold", "2")
                .put("notify.email.smtp-host", "127.0.0.1")
                .put("notify.email.smtp-port", String.valueOf(mail.getSmtp().getPort()))
                .put("notify.email.security", "NONE")
                .put("notify.email.sender", "switchboard@example.com")
                .put("notify.email.recipients", "ops@example.com")
                .put("notify.webhook.url", webhook.uri("/hooks/secret-token").toString())
                .put("notify.sender-lease-timeout", "3s")
                .buildOrThrow();
    }

    @AfterAll
    void stop()
    {
        replicas.values().forEach(TestingGateway::close);
        closeAll(webhook, adhoc2, adhoc1, mysql);
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    void aKilledClusterIsSkippedReportedOnceAndRecovers()
            throws Exception
    {
        awaitTrue(() -> everyReplicaSees("adhoc-1", "HEALTHY") && everyReplicaSees("adhoc-2", "HEALTHY"), Duration.ofSeconds(30));

        long killedAt = System.nanoTime();
        adhoc1.kill();
        awaitTrue(() -> "UNHEALTHY".equals(healthState(api(), "adhoc-1")), Duration.ofSeconds(10));
        Duration toUnhealthy = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("adhoc-1 killed -> UNHEALTHY in GET /api/v1/clusters: %s ms%n", toUnhealthy.toMillis());
        assertThat(toUnhealthy).isLessThan(CHECK_INTERVAL.plusMillis(1000));
        awaitTrue(() -> everyReplicaSees("adhoc-1", "UNHEALTHY"), Duration.ofSeconds(10));

        JsonNode health = cluster(api(), "adhoc-1").get("health");
        assertThat(health.get("reason").asText()).contains("Connection refused");
        assertThat(health.get("lastCheck").asText()).isNotEmpty();
        assertThat(cluster(api(), "adhoc-2").get("health").get("latencyMillis").asLong()).isBetween(0L, 1000L);

        for (int i = 0; i < 6; i++) {
            assertThat(servingNode()).isEqualTo("adhoc-2");
        }

        // several more probe intervals, on both replicas: still one message per channel
        Thread.sleep(CHECK_INTERVAL.multipliedBy(4));
        awaitTrue(() -> subjects("adhoc-1").contains("[Switchboard] Cluster adhoc-1 is UNHEALTHY"), Duration.ofSeconds(10));
        assertThat(subjects("adhoc-1")).containsExactly("[Switchboard] Cluster adhoc-1 is UNHEALTHY");
        assertThat(webhookEvents("adhoc-1")).containsExactly("adhoc-1 UNHEALTHY");

        // the replica that sent it stops; the other sends the recovery, and does not repeat the outage
        String sender = notificationSender();
        String survivor = REPLICA_IDS.stream().filter(id -> !id.equals(sender)).findFirst().orElseThrow();
        replicas.remove(sender).close();

        long restartedAt = System.nanoTime();
        adhoc1.start();
        long startedAt = System.nanoTime();
        awaitTrue(() -> "HEALTHY".equals(healthState(api(), "adhoc-1")), Duration.ofSeconds(30));
        System.out.printf("adhoc-1 restart began -> started: %s ms; started -> HEALTHY: %s ms%n",
                Duration.ofNanos(startedAt - restartedAt).toMillis(), Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        awaitTrue(() -> webhookEvents("adhoc-1").size() == 2 && subjects("adhoc-1").size() == 2, Duration.ofSeconds(10));
        assertThat(subjects("adhoc-1")).containsExactly("[Switchboard] Cluster adhoc-1 is UNHEALTHY", "[Switchboard] Cluster adhoc-1 recovered");
        assertThat(webhookEvents("adhoc-1")).containsExactly("adhoc-1 UNHEALTHY", "adhoc-1 RECOVERED");
        assertThat(notificationSender()).isEqualTo(survivor);

        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(servingNode());
        }
        assertThat(nodes).contains("adhoc-1", "adhoc-2");

        // every replica records the transitions it saw
        assertThat(transitions("adhoc-1", survivor)).containsExactly("UNHEALTHY->HEALTHY", "HEALTHY->UNHEALTHY", "PENDING->HEALTHY");
        assertThat(transitions("adhoc-1", sender)).containsExactly("HEALTHY->UNHEALTHY", "PENDING->HEALTHY");
        assertThat(api().send("GET", "/api/v1/clusters/no-such-cluster/health-history", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aClusterRejectingForwardedHeadersIsMisconfiguredWithTheSettingToChange()
            throws Exception
    {
        try (TrinoServer misconfigured = TrinoServer.builder("misconfigured")
                .withProperty("http-server.process-forwarded", "false")
                .start()) {
            api().addCluster(misconfigured, "etl");
            awaitTrue(() -> "MISCONFIGURED".equals(healthState(api(), "misconfigured")), Duration.ofSeconds(10));
            assertThat(cluster(api(), "misconfigured").get("health").get("reason").asText())
                    .contains("HTTP 406")
                    .contains("http-server.process-forwarded=true");
            awaitTrue(() -> webhookEvents("misconfigured").contains("misconfigured MISCONFIGURED"), Duration.ofSeconds(10));

            // isolated: the group's queries are refused instead of falling back to the default group
            assertThat(api().send("PUT", "/api/v1/routing-rules/groups/etl", "{\"isolated\": true}").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(api().baseUri().resolve("/v1/statement"))
                    .header("X-Trino-User", "etl-user")
                    .header("X-Trino-Routing-Group", "etl")
                    .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                    .build(), HttpResponse.BodyHandlers.ofString(UTF_8));
            assertThat(refused.body()).contains("etl");
            assertThat(refused.body()).doesNotContain("\"nextUri\"");

            // every running replica saw it, one sent it
            awaitTrue(() -> everyReplicaSees("misconfigured", "MISCONFIGURED"), Duration.ofSeconds(10));
            Thread.sleep(CHECK_INTERVAL.multipliedBy(2));
            assertThat(webhookEvents("misconfigured")).containsExactly("misconfigured MISCONFIGURED");
        }
        finally {
            api().send("DELETE", "/api/v1/routing-rules/groups/etl", null);
            api().send("DELETE", "/api/v1/clusters/misconfigured", null);
        }
    }

    private String servingNode()
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(api().jdbcUrl(), "health-user", null);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT node_id FROM system.runtime.nodes")) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1);
        }
    }

    // the query the README gives operators for who sends the notifications now
    private String notificationSender()
            throws SQLException
    {
        try (Connection connection = mysql.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT holder FROM gateway_leases WHERE name = 'health-notifications' AND NOT released")) {
            assertThat(resultSet.next()).as("a replica holds the notification lease").isTrue();
            return resultSet.getString(1);
        }
    }

    private TestingGateway api()
    {
        return replicas.values().iterator().next();
    }

    private boolean everyReplicaSees(String cluster, String state)
    {
        return replicas.values().stream().allMatch(replica -> state.equals(healthState(replica, cluster)));
    }

    private List<String> transitions(String cluster, String gatewayId)
    {
        List<String> transitions = new ArrayList<>();
        for (JsonNode transition : json(api().send("GET", "/api/v1/clusters/" + cluster + "/health-history", null).body())) {
            if (transition.get("gatewayId").asText().equals(gatewayId)) {
                transitions.add(transition.get("previousState").asText() + "->" + transition.get("state").asText());
            }
        }
        return transitions;
    }

    private static String healthState(TestingGateway replica, String name)
    {
        JsonNode cluster = cluster(replica, name);
        return cluster == null ? null : cluster.get("health").get("state").asText();
    }

    private static JsonNode cluster(TestingGateway replica, String name)
    {
        for (JsonNode cluster : json(replica.send("GET", "/api/v1/clusters", null).body())) {
            if (cluster.get("name").asText().equals(name)) {
                return cluster;
            }
        }
        return null;
    }

    private List<String> subjects(String clusterName)
    {
        return Arrays.stream(mail.getReceivedMessages()).map(TestClusterHealth::subject).filter(subject -> subject.contains(" " + clusterName + " ")).toList();
    }

    private List<String> webhookEvents(String clusterName)
    {
        return webhook.received().stream()
                .filter(payload -> payload.get("cluster").asText().equals(clusterName))
                .map(payload -> payload.get("cluster").asText() + " " + payload.get("event").asText())
                .toList();
    }

    private static String subject(MimeMessage message)
    {
        try {
            return message.getSubject();
        }
        catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
