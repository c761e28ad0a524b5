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
package io.switchboard.store.analytics;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * The queries one coordinator restart lost: the cluster, when its new coordinator started (the
 * {@code ended_at} of its LOST queries), how many queries of how many users, and when the oldest
 * and newest of them were created.
 */
public record LostQueries(String cluster, Instant restartedAt, long queries, long users, Instant firstCreatedAt, Instant lastCreatedAt)
{
    public LostQueries
    {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(restartedAt, "restartedAt is null");
        requireNonNull(firstCreatedAt, "firstCreatedAt is null");
        requireNonNull(lastCreatedAt, "lastCreatedAt is null");
    }
}
