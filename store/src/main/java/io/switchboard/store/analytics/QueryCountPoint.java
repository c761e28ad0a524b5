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
 * How many queries a cluster or routing group received in the bucket that starts at {@code time}.
 */
public record QueryCountPoint(Instant time, String name, long queries)
{
    public QueryCountPoint
    {
        requireNonNull(time, "time is null");
        requireNonNull(name, "name is null");
    }
}
