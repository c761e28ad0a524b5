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
 * The wall time percentiles of the completed queries a cluster or routing group received in the
 * bucket that starts at {@code time}, by the nearest-rank method: the value at position
 * {@code ceil(p * queries)} of the sorted wall times; exact below 128 ms, within 1.1 % above.
 */
public record LatencyPoint(Instant time, String name, long queries, long p50Millis, long p90Millis, long p99Millis)
{
    public LatencyPoint
    {
        requireNonNull(time, "time is null");
        requireNonNull(name, "name is null");
    }
}
