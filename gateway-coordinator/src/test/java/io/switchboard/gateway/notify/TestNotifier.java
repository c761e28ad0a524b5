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
package io.switchboard.gateway.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.airlift.units.Duration;
import io.switchboard.gateway.database.DatabaseConfig;
import io.switchboard.gateway.database.GatewayDatabase;
import io.switchboard.gateway.notify.ClusterEvent.Type;
import io.switchboard.gateway.notify.NotifyConfig.SmtpSecurity;
import io.switchboard.gateway.replica.GatewayReplica;
import io.switchboard.store.lease.LeaseDao;
import io.switchboard.testing.TestingMysql;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.switchboard.testing.Eventually.awaitTrue;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Notifications through a real SMTP server (GreenMail) and a real HTTP receiver, with the
 * sender's lease in a real MySQL.
 */
@TestInstance(PER_CLASS)
final class TestNotifier
{
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(20);
    private static final String PASSWORD = "hunter2-smtp-password";
    private static final String WEBHOOK_TOKEN = "/hooks/T0KEN-webhook-secret";

    private final List<GatewayDatabase> databases = new ArrayList<>();
    private final List<Notifier> started = new ArrayList<>();
    private TestingMysql mysql;
    private GreenMail mail;
    private WebhookReceiver webhook;

    @BeforeAll
    void startMysql()
    {
        mysql = TestingMysql.startWithSchema();
    }

    @AfterAll
    void stopMysql()
    {
        if (mysql != null) {
            mysql.close();
        }
    }

    @BeforeEach
    void start()
            throws SQLException
    {
        try (Connection connection = mysql.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM gateway_leases");
        }
        mail = new GreenMail(new ServerSetup(3025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("switchboard@example.com", "notify", PASSWORD));
        mail.start();
        webhook = new WebhookReceiver();
    }

    @AfterEach
    void stop()
    {
        try (WebhookReceiver _ = webhook) {
            started.forEach(Notifier::stop);
            started.clear();
        }
        finally {
            mail.stop();
            databases.forEach(GatewayDatabase::close);
            databases.clear();
        }
    }

    @Test
    void aFailureIsSentOnceByEmailAndWebhookAndSoIsTheRecovery()
            throws Exception
    {
        Notifier notifier = start(config(mail.getSmtp().getPort()).setReminderInterval(new Duration(1, HOURS)));
        for (int i = 0; i < 5; i++) {
            notifier.notify(new ClusterEvent("adhoc-1", Type.UNHEALTHY, "cannot reach the cluster: Connection refused"));
        }
        awaitTrue(() -> mail.getReceivedMessages().length == 2 && webhook.received().size() == 1, WAIT);
        Thread.sleep(1000);
        assertThat(webhook.received()).hasSize(1);
        assertThat(mail.getReceivedMessages()).hasSize(2);

        MimeMessage email = mail.getReceivedMessages()[0];
        assertThat(email.getSubject()).isEqualTo("[Switchboard] Cluster adhoc-1 is UNHEALTHY");
        assertThat(email.getFrom()[0].toString()).isEqualTo("switchboard@example.com");
        assertThat(recipients()).containsExactlyInAnyOrder("ops@example.com", "oncall@example.com");
        assertThat(GreenMailUtil.getBody(email)).contains("Connection refused").contains("gateway: gateway-test");

        JsonNode payload = webhook.received().getFirst();
        assertThat(payload.get("text").asText()).isEqualTo("Cluster adhoc-1 is UNHEALTHY: cannot reach the cluster: Connection refused");
        assertThat(payload.get("cluster").asText()).isEqualTo("adhoc-1");
        assertThat(payload.get("event").asText()).isEqualTo("UNHEALTHY");
        assertThat(payload.get("reminder").asText()).isEqualTo("false");
        assertThat(payload.get("gateway").asText()).isEqualTo("gateway-test");

        notifier.notify(new ClusterEvent("adhoc-1", Type.RECOVERED, "cluster is HEALTHY again"));
        awaitTrue(() -> mail.getReceivedMessages().length == 4 && webhook.received().size() == 2, WAIT);
        assertThat(subjects()).containsExactlyInAnyOrder(
                "[Switchboard] Cluster adhoc-1 is UNHEALTHY",
                "[Switchboard] Cluster adhoc-1 is UNHEALTHY",
                "[Switchboard] Cluster adhoc-1 recovered",
                "[Switchboard] Cluster adhoc-1 recovered");
        assertThat(webhook.received().get(1).get("event").asText()).isEqualTo("RECOVERED");

        notifier.notify(new ClusterEvent("adhoc-1", Type.UNHEALTHY, "down again"));
        awaitTrue(() -> webhook.received().size() == 3, WAIT);
    }

    @Test
    void remindersRepeatWhileTheFailureLastsAndStopWithTheRecovery()
            throws Exception
    {
        Notifier notifier = start(config(mail.getSmtp().getPort()).setReminderInterval(new Duration(1, SECONDS)));
        notifier.notify(new ClusterEvent("adhoc-2", Type.MISCONFIGURED, "set http-server.process-forwarded=true"));
        awaitTrue(() -> webhook.received().size() >= 3, WAIT);
        List<JsonNode> received = webhook.received();
        assertThat(received.getFirst().get("reminder").asText()).isEqualTo("false");
        assertThat(received.get(1).get("reminder").asText()).isEqualTo("true");
        assertThat(received.get(1).get("text").asText()).startsWith("Reminder: cluster adhoc-2 is still MISCONFIGURED: set http-server.process-forwarded=true");

        notifier.notify(new ClusterEvent("adhoc-2", Type.RECOVERED, "cluster is HEALTHY again"));
        awaitTrue(() -> webhook.received().stream().anyMatch(node -> node.get("event").asText().equals("RECOVERED")), WAIT);
        int afterRecovery = webhook.received().size();
        Thread.sleep(2500);
        assertThat(webhook.received()).hasSize(afterRecovery);
    }

    @Test
    void sendingNeverBlocksTheCallerAndFailuresNameNoSecret()
            throws Exception
    {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler handler = new Handler()
        {
            @Override
            public void publish(LogRecord record)
            {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("io.switchboard.gateway.notify");
        logger.addHandler(handler);
        webhook.respondWith(500, java.time.Duration.ofSeconds(2));
        try {
            Notifier notifier = start(config(closedPort())
                    .setQueueSize(2)
                    .setEmailTimeout(new Duration(1, SECONDS))
                    .setWebhookTimeout(new Duration(500, MILLISECONDS)));
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                notifier.notify(new ClusterEvent("cluster-" + i, Type.UNHEALTHY, "down"));
            }
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofMillis(200));

            awaitTrue(() -> notifier.stats().stream().allMatch(stats -> stats.sent() + stats.failed() + stats.dropped() == 10), WAIT);
            assertThat(notifier.stats()).allSatisfy(stats -> {
                assertThat(stats.sent()).isZero();
                assertThat(stats.dropped()).isPositive();
            });
            assertThat(logged).anyMatch(line -> line.startsWith("Cannot send UNHEALTHY notification about cluster cluster-0 by email via 127.0.0.1"));
            assertThat(logged).anyMatch(line -> line.startsWith("Cannot send UNHEALTHY notification about cluster cluster-0 by webhook to 127.0.0.1"));
            assertThat(logged).noneMatch(line -> line.contains(PASSWORD) || line.contains("T0KEN"));
        }
        finally {
            logger.removeHandler(handler);
        }
    }

    private Notifier start(NotifyConfig config)
    {
        return start(config, "gateway-test");
    }

    private Notifier startReplica(String gatewayId)
    {
        return start(config(mail.getSmtp().getPort()).setSenderLeaseTimeout(new Duration(3, SECONDS)), gatewayId);
    }

    private Notifier start(NotifyConfig config, String gatewayId)
    {
        GatewayDatabase database = new GatewayDatabase(new DatabaseConfig().setUrl(mysql.jdbcUrl()).setUser(mysql.connection().user()));
        databases.add(database);
        GatewayReplica replica = new GatewayReplica(gatewayId);
        Notifier notifier = new Notifier(config, replica, new ObjectMapper(), new NotificationLease(database, new LeaseDao(mysql.jdbi()), config, replica));
        started.add(notifier);
        notifier.start();
        return notifier;
    }

    @Test
    void ofTwoReplicasOneSendsEachHealthTransitionAndTheOtherTakesOverWhenItStops()
            throws Exception
    {
        Notifier first = startReplica("replica-1");
        Notifier second = startReplica("replica-2");
        assertThat(first.sendsHealthNotifications()).isTrue();
        assertThat(second.sendsHealthNotifications()).isFalse();

        // both replicas' health checks see the cluster fail
        first.notify(new ClusterEvent("etl-1", Type.UNHEALTHY, "cannot reach the cluster: Connection refused"));
        second.notify(new ClusterEvent("etl-1", Type.UNHEALTHY, "cannot reach the cluster: Connection refused"));
        awaitTrue(() -> webhook.received().size() == 1 && mail.getReceivedMessages().length == 2, WAIT);
        Thread.sleep(1500);
        assertThat(webhook.received()).hasSize(1);
        assertThat(mail.getReceivedMessages()).hasSize(2);
        assertThat(webhook.received().getFirst().get("gateway").asText()).isEqualTo("replica-1");

        // replica-1 stops: it releases the lease, and replica-2 takes it at its next renewal,
        // sending what it saw in between (and not what replica-1 sent before)
        first.stop();
        second.notify(new ClusterEvent("etl-9", Type.UNHEALTHY, "cannot reach the cluster: Connection reset"));
        awaitTrue(second::sendsHealthNotifications, WAIT);
        second.notify(new ClusterEvent("etl-1", Type.RECOVERED, "cluster is HEALTHY again"));
        awaitTrue(() -> webhook.received().size() == 3, WAIT);
        Thread.sleep(1500);
        assertThat(webhook.received()).hasSize(3);
        assertThat(webhook.received().subList(1, 3))
                .extracting(payload -> payload.get("cluster").asText() + " " + payload.get("event").asText() + " from " + payload.get("gateway").asText())
                .containsExactly("etl-9 UNHEALTHY from replica-2", "etl-1 RECOVERED from replica-2");
        assertThat(subjects()).containsExactlyInAnyOrder(
                "[Switchboard] Cluster etl-1 is UNHEALTHY",
                "[Switchboard] Cluster etl-1 is UNHEALTHY",
                "[Switchboard] Cluster etl-9 is UNHEALTHY",
                "[Switchboard] Cluster etl-9 is UNHEALTHY",
                "[Switchboard] Cluster etl-1 recovered",
                "[Switchboard] Cluster etl-1 recovered");
    }

    @Test
    void aReplicaTakingOverFromOneThatDiedSendsWhatItSawMeanwhile()
            throws Exception
    {
        // the lease of a replica that died without releasing it, as its last renewal left it
        new LeaseDao(mysql.jdbi()).acquire(NotificationLease.NAME, "replica-that-died", java.time.Duration.ofSeconds(3));
        Notifier survivor = startReplica("replica-2");
        assertThat(survivor.sendsHealthNotifications()).isFalse();
        survivor.notify(new ClusterEvent("etl-2", Type.UNHEALTHY, "cannot reach the cluster: Connection refused"));
        Thread.sleep(500);
        assertThat(webhook.received()).isEmpty();

        awaitTrue(() -> webhook.received().size() == 1, WAIT);
        assertThat(survivor.sendsHealthNotifications()).isTrue();
        JsonNode payload = webhook.received().getFirst();
        assertThat(payload.get("event").asText()).isEqualTo("UNHEALTHY");
        assertThat(payload.get("reminder").asText()).isEqualTo("false");
        assertThat(payload.get("gateway").asText()).isEqualTo("replica-2");
        Thread.sleep(1500);
        assertThat(webhook.received()).hasSize(1);
    }

    @Test
    void withMysqlUnreachableEveryReplicaSends()
            throws Exception
    {
        Notifier first = startReplica("replica-1");
        Notifier second = startReplica("replica-2");
        assertThat(second.sendsHealthNotifications()).isFalse();
        mysql.stopServer();
        try {
            awaitTrue(() -> first.sendsHealthNotifications() && second.sendsHealthNotifications(), WAIT);
            first.notify(new ClusterEvent("etl-3", Type.MISCONFIGURED, "set http-server.process-forwarded=true"));
            second.notify(new ClusterEvent("etl-3", Type.MISCONFIGURED, "set http-server.process-forwarded=true"));
            awaitTrue(() -> webhook.received().size() == 2, WAIT);
            assertThat(webhook.received()).extracting(payload -> payload.get("gateway").asText()).containsExactlyInAnyOrder("replica-1", "replica-2");
        }
        finally {
            mysql.startServer();
        }
        // MySQL is back: one replica sends again
        awaitTrue(() -> first.sendsHealthNotifications() != second.sendsHealthNotifications(), WAIT);
    }

    private NotifyConfig config(int smtpPort)
    {
        return new NotifyConfig()
                .setSmtpHost("127.0.0.1")
                .setSmtpPort(smtpPort)
                .setSmtpSecurity(SmtpSecurity.NONE)
                .setSmtpUser("notify")
                .setSmtpPassword(PASSWORD)
                .setSender("switchboard@example.com")
                .setRecipients("ops@example.com, oncall@example.com")
                .setWebhookUrl(webhook.uri(WEBHOOK_TOKEN).toString());
    }

    private List<String> recipients()
    {
        return Arrays.stream(mail.getReceivedMessages())
                .map(message -> {
                    try {
                        return message.getAllRecipients();
                    }
                    catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .flatMap(Arrays::stream)
                .map(Object::toString)
                .distinct()
                .toList();
    }

    private List<String> subjects()
    {
        return Arrays.stream(mail.getReceivedMessages())
                .map(message -> {
                    try {
                        return message.getSubject();
                    }
                    catch (MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private static int closedPort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
