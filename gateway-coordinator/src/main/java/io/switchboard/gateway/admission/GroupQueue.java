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
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The queued queries of one routing group: one line per user, served round-robin, so that a
 * user who queued a hundred queries does not make the others wait behind all of them.
 * Not thread-safe: the controller guards it.
 */
final class GroupQueue
{
    private final String group;
    private final Map<String, ArrayDeque<QueuedQuery>> byUser = new HashMap<>();
    private final ArrayDeque<String> rotation = new ArrayDeque<>();
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

    int users()
    {
        return rotation.size();
    }

    void add(QueuedQuery query)
    {
        byUser.computeIfAbsent(query.key().user(), user -> {
            rotation.addLast(user);
            return new ArrayDeque<>();
        }).addLast(query);
        size++;
    }

    /**
     * The user whose turn it is.
     */
    String nextUser()
    {
        return rotation.getFirst();
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

    /**
     * Takes the oldest query of the user whose turn it is; the user goes to the back of the line.
     */
    QueuedQuery take()
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

    boolean remove(QueuedQuery query)
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
     * Where the query stands in the round-robin order, 1 for the next to run, if no limit held anyone back.
     */
    int position(QueuedQuery query)
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

    Iterator<QueuedQuery> iterator()
    {
        return byUser.values().stream().flatMap(ArrayDeque::stream).iterator();
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
