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
package io.switchboard.plugin.events;

import java.util.Collection;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What every engine's event mapper writes the same way: the cluster's name, the query text cut to
 * {@code switchboard.max-query-text-length}, the client tags as one sorted list.
 */
public final class EventFields
{
    public static final String QUEUED = "QUEUED";

    private final String clusterName;
    private final int maxQueryTextLength;

    public EventFields(String clusterName, int maxQueryTextLength)
    {
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
        checkArgument(maxQueryTextLength >= 0, "maxQueryTextLength is negative");
        this.maxQueryTextLength = maxQueryTextLength;
    }

    public String clusterName()
    {
        return clusterName;
    }

    public Optional<String> queryText(String query)
    {
        if (query == null || query.isEmpty() || maxQueryTextLength == 0) {
            return Optional.empty();
        }
        return Optional.of(query.length() <= maxQueryTextLength ? query : query.substring(0, maxQueryTextLength));
    }

    public static Optional<String> clientTags(Collection<String> tags)
    {
        return tags.isEmpty() ? Optional.empty() : Optional.of(String.join(",", tags.stream().sorted().toList()));
    }
}
