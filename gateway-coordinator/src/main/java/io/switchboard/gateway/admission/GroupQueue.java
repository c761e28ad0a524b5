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
package io.switchboard.gateway.admission;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.util.Comparator.reverseOrder;
import static java.util.Objects.requireNonNull;

/**
 * The queued queries of one routing group: one line per priority, the highest served first, and
 * in each line one line per user, served round-robin, so that a user who queued a hundred queries
 * does not make the others of the same priority wait behind all of them.
 * Not thread-safe: the controller guards it.
 */
final class GroupQueue
{
    private final String group;
    // the highest priority first
    private final TreeMap<Integer, Level> levels = new TreeMap<>(reverseOrder());
    private int size;

    GroupQueue(String group)
    {
        this.group = requireNonNull(group, "group is null");
    }

    String group()
    {
        return group;
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * The priorities that have queued queries, the highest first: a copy, which {@link #take} does not change.
     */
    List<Level> levels()
    {
        return List.copyOf(levels.values());
    }

    void add(QueuedQuery query)
    {
        levels.computeIfAbsent(query.key().priority(), Level::new).add(query);
        size++;
    }

    /**
     * Takes the oldest query of the user whose turn it is in the level; the user goes to the back of its line.
     */
    QueuedQuery take(Level level)
    {
        QueuedQuery query = level.take();
        if (level.isEmpty()) {
            levels.remove(level.priority());
        }
        size--;
        return query;
    }

    boolean remove(QueuedQuery query)
    {
        Level level = levels.get(query.key().priority());
        if (level == null || !level.remove(query)) {
            return false;
        }
        if (level.isEmpty()) {
            levels.remove(level.priority());
        }
        size--;
        return true;
    }

    /**
     * Where the query stands, 1 for the next to run, if no limit held anyone back: after every
     * query of a higher priority, then in the round-robin order of its own.
     */
    int position(QueuedQuery query)
    {
        int ahead = 0;
        for (Level level : levels.values()) {
            if (level.priority() == query.key().priority()) {
                int position = level.position(query);
                return position == 0 ? 0 : ahead + position;
            }
            ahead += level.size();
        }
        return 0;
    }

    Iterator<QueuedQuery> iterator()
    {
        return levels.values().stream().flatMap(Level::stream).iterator();
    }

    /**
     * The queued queries of one priority: one line per user and a rotation of users.
     */
    static final class Level
    {
        private final int priority;
        private final Map<String, ArrayDeque<QueuedQuery>> byUser = new HashMap<>();
        private final ArrayDeque<String> rotation = new ArrayDeque<>();
        private int size;

        private Level(int priority)
        {
            this.priority = priority;
        }

        int priority()
        {
            return priority;
        }

        int size()
        {
            return size;
        }

        boolean isEmpty()
        {
            return size == 0;
        }

        int users()
        {
            return rotation.size();
        }

        /**
         * The oldest query of the user whose turn it is: the next to run.
         */
        QueuedQuery next()
        {
            return byUser.get(rotation.getFirst()).getFirst();
        }

        /**
         * The user whose turn it is cannot run a query now: the next user's turn.
         */
        void skipUser()
        {
            rotation.addLast(rotation.removeFirst());
        }

        private void add(QueuedQuery query)
        {
            byUser.computeIfAbsent(query.key().user(), user -> {
                rotation.addLast(user);
                return new ArrayDeque<>();
            }).addLast(query);
            size++;
        }

        private QueuedQuery take()
        {
            String user = rotation.removeFirst();
            ArrayDeque<QueuedQuery> queries = byUser.get(user);
            QueuedQuery query = queries.removeFirst();
            if (queries.isEmpty()) {
                byUser.remove(user);
            }
            else {
                rotation.addLast(user);
            }
            size--;
            return query;
        }

        private boolean remove(QueuedQuery query)
        {
            ArrayDeque<QueuedQuery> queries = byUser.get(query.key().user());
            if (queries == null || !queries.remove(query)) {
                return false;
            }
            if (queries.isEmpty()) {
                byUser.remove(query.key().user());
                rotation.remove(query.key().user());
            }
            size--;
            return true;
        }

        /**
         * Where the query stands in the round-robin order of its level, 1 for its next; 0 when it is not here.
         */
        private int position(QueuedQuery query)
        {
            ArrayDeque<QueuedQuery> own = byUser.get(query.key().user());
            if (own == null) {
                return 0;
            }
            int index = indexOf(own, query);
            if (index < 0) {
                return 0;
            }
            int position = 0;
            boolean before = true;
            for (String user : rotation) {
                if (user.equals(query.key().user())) {
                    before = false;
                    continue;
                }
                int length = byUser.get(user).size();
                // every user gets index turns before this query's, and one more if ahead in the line
                position += Math.min(length, before ? index + 1 : index);
            }
            return position + index + 1;
        }

        private Stream<QueuedQuery> stream()
        {
            return byUser.values().stream().flatMap(ArrayDeque::stream);
        }

        private static int indexOf(ArrayDeque<QueuedQuery> queries, QueuedQuery query)
        {
            int index = 0;
            for (QueuedQuery queued : queries) {
                if (queued == query) {
                    return index;
                }
                index++;
            }
            return -1;
        }
    }
}
