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
package io.switchboard.store.history;

import com.google.common.collect.ImmutableList;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the event listener learns about a query when it is created (no end time) or when it
 * completes (with an end time, the final state and what it cost). {@link QueryEventWriter}
 * upserts it into the query's row of {@code queries}.
 */
public record QueryEvent(
        String queryId,
        String clusterName,
        String state,
        String user,
        Optional<String> source,
        Optional<String> clientTags,
        Optional<String> catalog,
        Optional<String> schema,
        Optional<String> queryText,
        Optional<String> resourceGroup,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> endedAt,
        Optional<QueryError> error,
        Optional<QueryMetrics> metrics,
        List<TableName> tablesRead)
{
    public QueryEvent
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(state, "state is null");
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(clientTags, "clientTags is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(queryText, "queryText is null");
        requireNonNull(resourceGroup, "resourceGroup is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(error, "error is null");
        requireNonNull(metrics, "metrics is null");
        tablesRead = ImmutableList.copyOf(requireNonNull(tablesRead, "tablesRead is null"));
    }

    /**
     * @return true for a query-completed event, which carries the final state
     */
    public boolean completed()
    {
        return endedAt.isPresent();
    }

    public QueryEvent withoutQueryText()
    {
        return new QueryEvent(queryId, clusterName, state, user, source, clientTags, catalog, schema, Optional.empty(), resourceGroup,
                createdAt, startedAt, endedAt, error, metrics, tablesRead);
    }
}
