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

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The heaviest users by CPU time and by bytes read.
 */
public record TopUsers(List<UserUsage> byCpu, List<UserUsage> byBytes)
{
    public TopUsers
    {
        byCpu = List.copyOf(requireNonNull(byCpu, "byCpu is null"));
        byBytes = List.copyOf(requireNonNull(byBytes, "byBytes is null"));
    }
}
