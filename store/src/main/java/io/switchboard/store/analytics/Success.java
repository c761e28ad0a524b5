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
 * Success rates per cluster and per user.
 */
public record Success(List<SuccessRate> byCluster, List<SuccessRate> byUser)
{
    public Success
    {
        byCluster = List.copyOf(requireNonNull(byCluster, "byCluster is null"));
        byUser = List.copyOf(requireNonNull(byUser, "byUser is null"));
    }
}
