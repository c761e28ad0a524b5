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

import io.airlift.log.Logger;
import io.switchboard.store.history.QueryEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * The in-memory queue between Trino's threads and the writer. Adding never blocks (the lock is
 * held for a few operations). Beyond its capacity the queue keeps every event but drops query
 * texts, oldest first, so that its memory stays bounded by the size of text-less events.
 */
final class EventBuffer
{
    private static final Logger log = Logger.get(EventBuffer.class);

    private final int capacity;
    private final QueryEventStats stats;
    private final Deque<Slot> events = new ArrayDeque<>();
    private final Deque<Slot> withText = new ArrayDeque<>();
    private boolean closed;
    private long droppedSinceLog;

    EventBuffer(int capacity, QueryEventStats stats)
    {
        checkArgument(capacity > 0, "capacity must be positive");
        this.capacity = capacity;
        this.stats = requireNonNull(stats, "stats is null");
    }

    synchronized void add(QueryEvent event)
    {
        Slot slot = new Slot(event);
        events.addLast(slot);
        if (event.queryText().isPresent()) {
            withText.addLast(slot);
        }
        if (events.size() > capacity) {
            dropOldestText();
        }
        notifyAll();
    }

    private void dropOldestText()
    {
        Slot oldest = withText.pollFirst();
        if (oldest == null) {
            return;
        }
        oldest.event = oldest.event.withoutQueryText();
        stats.queryTextsDropped(1);
        droppedSinceLog++;
        if (droppedSinceLog == 1 || droppedSinceLog % 1000 == 0) {
            log.warn("Event queue is over its capacity of %s events: dropped the query text of the oldest queued events (%s so far); the events are kept", capacity, droppedSinceLog);
        }
    }

    /**
     * Waits until {@code batchSize} events are queued, the wait is over, or the buffer is closed,
     * then takes up to {@code batchSize} events, oldest first.
     */
    synchronized List<QueryEvent> take(int batchSize, long maxWaitMillis)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000;
        long remaining = maxWaitMillis;
        while (events.size() < batchSize && !closed && remaining > 0) {
            wait(remaining);
            remaining = (deadline - System.nanoTime()) / 1_000_000;
        }
        List<QueryEvent> batch = new ArrayList<>(Math.min(batchSize, events.size()));
        while (batch.size() < batchSize && !events.isEmpty()) {
            Slot slot = events.pollFirst();
            if (withText.peekFirst() == slot) {
                withText.pollFirst();
            }
            batch.add(slot.event);
        }
        if (events.isEmpty()) {
            droppedSinceLog = 0;
        }
        return batch;
    }

    synchronized int size()
    {
        return events.size();
    }

    synchronized void close()
    {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed()
    {
        return closed;
    }

    private static final class Slot
    {
        private QueryEvent event;

        private Slot(QueryEvent event)
        {
            this.event = event;
        }
    }
}
