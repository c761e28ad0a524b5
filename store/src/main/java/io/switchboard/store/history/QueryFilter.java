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
 * What {@link QueryHistoryDao#search} looks for; every empty field matches all queries. The
 * created time range is [createdFrom, createdTo). {@code text} matches a part of the query id or
 * of the SQL text.
 */
public record QueryFilter(
        Optional<String> user,
        Optional<String> source,
        Optional<String> cluster,
        Optional<String> routingGroup,
        Optional<String> state,
        Optional<Instant> createdFrom,
        Optional<Instant> createdTo,
        Optional<String> text)
{
    public static final QueryFilter ALL = new QueryFilter(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public QueryFilter
    {
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdFrom, "createdFrom is null");
        requireNonNull(createdTo, "createdTo is null");
        requireNonNull(text, "text is null");
    }
}
