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

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A query in a list of search results; {@code queryTextPreview} is the start of the SQL text.
 */
public record QuerySummary(
        String queryId,
        Optional<String> clusterName,
        Optional<String> routingGroup,
        Optional<String> user,
        Optional<String> source,
        Optional<String> state,
        Optional<Instant> createdAt,
        Optional<Instant> endedAt,
        Optional<Long> wallTimeMs,
        Optional<String> errorName,
        Optional<String> queryTextPreview)
{
    public QuerySummary
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(wallTimeMs, "wallTimeMs is null");
        requireNonNull(errorName, "errorName is null");
        requireNonNull(queryTextPreview, "queryTextPreview is null");
    }
}
