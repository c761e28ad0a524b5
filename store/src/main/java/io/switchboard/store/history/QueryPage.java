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

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One page of search results, newest first, and the cursor of the next page if there may be one.
 */
public record QueryPage(List<QuerySummary> queries, Optional<QueryCursor> next)
{
    public QueryPage
    {
        queries = ImmutableList.copyOf(requireNonNull(queries, "queries is null"));
        requireNonNull(next, "next is null");
    }
}
