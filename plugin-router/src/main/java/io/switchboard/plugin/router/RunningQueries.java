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
package io.switchboard.plugin.router;

import io.switchboard.store.status.QueryCounts;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The coordinator's unfinished queries (created, not yet completed: queued or running), with
 * their user and source, from the engine's query events (on Trino through the access control's
 * own event listener, on PrestoDB through the Switchboard event listener). Each event costs one
 * map operation on the thread that sends it; the counts per user and source are
 * added up only when a heartbeat asks for them. Keyed by query id, so a completion without a
 * creation (a query that failed before it was created) changes nothing, and no count can drift.
 */
public class RunningQueries
{
    private final Map<String, Owner> unfinished = new ConcurrentHashMap<>();

    private record Owner(String user, Optional<String> source)
    {
        Owner
        {
            requireNonNull(user, "user is null");
            requireNonNull(source, "source is null");
        }
    }

    public void created(String queryId, String user, Optional<String> source)
    {
        unfinished.put(queryId, new Owner(user, source));
    }

    public void completed(String queryId)
    {
        unfinished.remove(queryId);
    }

    public int size()
    {
        return unfinished.size();
    }

    /**
     * The unfinished queries per user and per source now, the {@value QueryCounts#MAX_REPORTED}
     * largest of each.
     */
    public QueryCounts counts()
    {
        Map<String, Integer> byUser = new HashMap<>();
        Map<String, Integer> bySource = new HashMap<>();
        for (Owner owner : unfinished.values()) {
            byUser.merge(owner.user(), 1, Integer::sum);
            owner.source().ifPresent(source -> bySource.merge(source, 1, Integer::sum));
        }
        return QueryCounts.largest(byUser, bySource, QueryCounts.MAX_REPORTED);
    }
}
