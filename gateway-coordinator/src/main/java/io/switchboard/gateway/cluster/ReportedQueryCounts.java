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
package io.switchboard.gateway.cluster;

import io.switchboard.store.status.QueryCounts;

import static java.util.Objects.requireNonNull;

/**
 * A cluster's unfinished queries per user and source, as its router plugin's latest heartbeat
 * counted them.
 *
 * @param heartbeatNanos when the heartbeat was written, on this gateway's {@link System#nanoTime()}
 * clock (converted from the database's clock when the report was read)
 */
public record ReportedQueryCounts(String clusterName, long heartbeatNanos, QueryCounts counts)
{
    public ReportedQueryCounts
    {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(counts, "counts is null");
    }
}
