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

import static java.util.Objects.requireNonNull;

/**
 * Where a page of {@link QueryHistoryDao#searchAfter} ended: the next page starts after this query.
 */
public record QueryCursor(Instant createdAt, String queryId)
{
    public QueryCursor
    {
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(queryId, "queryId is null");
    }
}
