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

import io.airlift.log.Logger;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import static io.airlift.concurrent.Threads.daemonThreadsNamed;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * Delivers the notifications of one channel on its own thread, from a bounded queue: a slow or
 * unreachable mail server delays only its own channel, never the caller.
 */
final class ChannelSender
{
    private static final Logger log = Logger.get(ChannelSender.class);

    private final NotificationChannel channel;
    private final ThreadPoolExecutor executor;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    ChannelSender(NotificationChannel channel, int queueSize)
    {
        this.channel = requireNonNull(channel, "channel is null");
        this.executor = new ThreadPoolExecutor(1, 1, 0, MILLISECONDS, new ArrayBlockingQueue<>(queueSize), daemonThreadsNamed("notify-" + channel.name().replace(' ', '-') + "-%s"));
    }

    void submit(Notification notification)
    {
        try {
            executor.execute(() -> deliver(notification));
        }
        catch (RejectedExecutionException e) {
            dropped.incrementAndGet();
            log.warn("Notification queue of %s is full (or shut down): dropped %s about cluster %s", channel.name(), notification.event().type(), notification.event().clusterName());
        }
    }

    private void deliver(Notification notification)
    {
        try {
            channel.send(notification);
            sent.incrementAndGet();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.incrementAndGet();
        }
        catch (Exception e) {
            failed.incrementAndGet();
            log.warn("Cannot send %s notification about cluster %s by %s: %s", notification.event().type(), notification.event().clusterName(), channel.name(), e.getMessage());
        }
    }

    String name()
    {
        return channel.name();
    }

    long sent()
    {
        return sent.get();
    }

    long failed()
    {
        return failed.get();
    }

    long dropped()
    {
        return dropped.get();
    }

    /**
     * Gives queued notifications a few seconds to go out, then stops.
     */
    void stop()
    {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, SECONDS)) {
                executor.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }
}
