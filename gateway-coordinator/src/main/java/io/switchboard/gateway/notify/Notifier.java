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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.airlift.log.Logger;
import io.switchboard.gateway.replica.GatewayReplica;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Tells operators about cluster events by email and webhook. {@link #notify(ClusterEvent)} never
 * blocks: each channel sends from its own bounded queue with its own timeouts.
 * <p>
 * A failure (UNHEALTHY, MISCONFIGURED) opens an incident for its cluster: the same failure again
 * sends nothing, a reminder goes out every {@code notify.reminder-interval} while the incident
 * lasts, and RECOVERED closes it.
 * <p>
 * Of several gateway replicas, the one holding the {@link NotificationLease} sends health
 * transitions and reminders; the others keep the same incidents without sending. A replica that
 * takes the lease sends what it kept unsent since the previous holder released it, or, when
 * the holder let it expire, since that one may have stopped sending.
 */
public class Notifier
{
    private static final Logger log = Logger.get(Notifier.class);

    private final List<ChannelSender> senders;
    private final String gatewayId;
    private final long reminderMillis;
    private final NotificationLease lease;
    private final long unsentWindowMillis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreadsNamed("notify-scheduler"));
    private final Map<String, Incident> incidents = new HashMap<>();
    private final Deque<Notification> unsent = new ArrayDeque<>();
    private volatile boolean sending;

    private record Incident(ClusterEvent event, Instant lastSent) {}

    @Inject
    public Notifier(NotifyConfig config, GatewayReplica replica, ObjectMapper mapper, NotificationLease lease)
    {
        this.lease = requireNonNull(lease, "lease is null");
        this.unsentWindowMillis = lease.unsentWindow().toMillis();
        this.gatewayId = replica.id();
        this.reminderMillis = config.getReminderInterval().toMillis();
        ImmutableList.Builder<ChannelSender> senders = ImmutableList.builder();
        if (config.getSmtpHost().isPresent()) {
            senders.add(new ChannelSender(new EmailChannel(config), config.getQueueSize()));
        }
        config.getWebhookUrl().ifPresent(url -> senders.add(new ChannelSender(
                new WebhookChannel(URI.create(url), Duration.ofMillis(config.getWebhookTimeout().toMillis()), mapper),
                config.getQueueSize())));
        this.senders = senders.build();
    }

    @PostConstruct
    public void start()
    {
        if (senders.isEmpty()) {
            log.info("No notification channel configured (notify.email.smtp-host, notify.webhook.url): cluster events are only logged");
            return;
        }
        log.info("Cluster events are sent by %s", senders.stream().map(ChannelSender::name).toList());
        takeTurn();
        long renewMillis = lease.renewInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::takeTurn, renewMillis, renewMillis, MILLISECONDS);
        if (reminderMillis > 0) {
            long period = Math.clamp(reminderMillis / 4, 250, 60_000);
            scheduler.scheduleWithFixedDelay(this::sendReminders, period, period, MILLISECONDS);
        }
    }

    @PreDestroy
    public void stop()
    {
        scheduler.shutdownNow();
        try {
            if (scheduler.awaitTermination(5, SECONDS)) {
                lease.release();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.forEach(ChannelSender::stop);
    }

    /**
     * Queues the event for every channel, unless it repeats the open incident of its cluster.
     * Returns at once.
     */
    public void notify(ClusterEvent event)
    {
        requireNonNull(event, "event is null");
        if (!opensOrChanges(event)) {
            return;
        }
        log.info("Cluster %s: %s: %s", event.clusterName(), event.type(), event.message());
        Notification notification = new Notification(event, false, gatewayId, Instant.now());
        if (event.type().isHealthTransition() && keptUnsent(notification)) {
            return;
        }
        send(notification);
    }

    /**
     * Closes the cluster's incident without a message, when the cluster is removed.
     */
    public synchronized void forget(String clusterName)
    {
        incidents.remove(clusterName);
    }

    /**
     * Messages queued, delivered, failed and dropped so far, by channel.
     */
    public List<ChannelStats> stats()
    {
        return senders.stream().map(sender -> new ChannelStats(sender.name(), sender.sent(), sender.failed(), sender.dropped())).toList();
    }

    public record ChannelStats(String channel, long sent, long failed, long dropped) {}

    private synchronized boolean opensOrChanges(ClusterEvent event)
    {
        Incident open = incidents.get(event.clusterName());
        if (event.type().isFailure()) {
            if (open != null && open.event().type() == event.type()) {
                return false;
            }
            incidents.put(event.clusterName(), new Incident(event, Instant.now()));
        }
        else if (event.type() == ClusterEvent.Type.RECOVERED) {
            incidents.remove(event.clusterName());
        }
        return true;
    }

    /**
     * Whether this replica sends health notifications, for the next renewal interval.
     */
    public boolean sendsHealthNotifications()
    {
        return sending;
    }

    private void takeTurn()
    {
        NotificationLease.Turn turn = lease.renew();
        if (turn.sends() != sending) {
            log.info(turn.sends() ? "This gateway replica sends health notifications now" : "Another gateway replica sends health notifications now");
        }
        setSending(turn.sends(), turn.unsentSince());
    }

    /**
     * Keeps the notification instead of sending it, while another replica sends them.
     */
    private synchronized boolean keptUnsent(Notification notification)
    {
        if (sending) {
            return false;
        }
        unsent.addLast(notification);
        forgetUnsentBefore(notification.sentAt().minusMillis(unsentWindowMillis));
        return true;
    }

    /**
     * When this replica starts sending, queues the health notifications it kept that nobody sent.
     * They are queued under the lock, so that an event seen just after the hand-over is sent after them.
     */
    private synchronized void setSending(boolean sends, Optional<Instant> unsentSince)
    {
        sending = sends;
        if (!sends) {
            return;
        }
        unsentSince.ifPresent(since -> unsent.stream()
                .filter(notification -> !notification.sentAt().isBefore(since))
                .forEach(this::send));
        unsent.clear();
    }

    private void forgetUnsentBefore(Instant cutoff)
    {
        while (!unsent.isEmpty() && unsent.peekFirst().sentAt().isBefore(cutoff)) {
            unsent.removeFirst();
        }
    }

    private void sendReminders()
    {
        List<Notification> due = dueReminders(Instant.now());
        if (sending) {
            due.forEach(this::send);
        }
    }

    private synchronized List<Notification> dueReminders(Instant now)
    {
        ImmutableList.Builder<Notification> due = ImmutableList.builder();
        incidents.replaceAll((cluster, incident) -> {
            if (Duration.between(incident.lastSent(), now).toMillis() < reminderMillis) {
                return incident;
            }
            due.add(new Notification(incident.event(), true, gatewayId, now));
            return new Incident(incident.event(), now);
        });
        return due.build();
    }

    private void send(Notification notification)
    {
        for (ChannelSender sender : senders) {
            sender.submit(notification);
        }
    }
}
