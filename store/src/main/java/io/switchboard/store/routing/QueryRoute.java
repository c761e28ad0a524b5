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
package io.switchboard.store.routing;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's record of where it sent a query, and the rule that chose its routing group.
 */
public record QueryRoute(
        String queryId,
        String clusterName,
        String routingGroup,
        String gatewayId,
        Instant receivedAt,
        Optional<String> user,
        Optional<String> source,
        Optional<String> routingRule,
        OptionalLong queuedInGatewayMillis)
{
    public QueryRoute
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(gatewayId, "gatewayId is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(routingRule, "routingRule is null");
        requireNonNull(queuedInGatewayMillis, "queuedInGatewayMillis is null");
    }
}
