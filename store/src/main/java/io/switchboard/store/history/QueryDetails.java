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
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Everything stored about one query: what the gateway recorded when it routed it, what the event
 * listener recorded when it was created and completed, and the tables it read. {@code metrics}
 * is present once the query completed.
 */
public record QueryDetails(
        String queryId,
        Optional<String> clusterName,
        Optional<String> routingGroup,
        Optional<String> routingRule,
        OptionalLong queuedInGatewayMillis,
        Optional<String> gatewayId,
        Optional<Instant> receivedAt,
        Optional<String> user,
        Optional<String> source,
        Optional<String> clientTags,
        Optional<String> catalog,
        Optional<String> schema,
        Optional<String> queryText,
        Optional<String> state,
        Optional<String> resourceGroup,
        Optional<Instant> createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> endedAt,
        Optional<QueryError> error,
        Optional<QueryMetrics> metrics,
        Instant updatedAt,
        List<TableName> tablesRead)
{
    public QueryDetails
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(routingRule, "routingRule is null");
        requireNonNull(queuedInGatewayMillis, "queuedInGatewayMillis is null");
        requireNonNull(gatewayId, "gatewayId is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(clientTags, "clientTags is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(queryText, "queryText is null");
        requireNonNull(state, "state is null");
        requireNonNull(resourceGroup, "resourceGroup is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(error, "error is null");
        requireNonNull(metrics, "metrics is null");
        requireNonNull(updatedAt, "updatedAt is null");
        tablesRead = ImmutableList.copyOf(requireNonNull(tablesRead, "tablesRead is null"));
    }
}
