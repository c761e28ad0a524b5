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
package io.switchboard.store.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A row of the {@code clusters} table.
 */
public record ClusterRecord(
        String name,
        String proxyUrl,
        String externalUrl,
        String routingGroup,
        boolean active,
        DesiredState desiredState,
        int weight,
        ClusterKind kind)
{
    public ClusterRecord
    {
        requireNonNull(name, "name is null");
        requireNonNull(proxyUrl, "proxyUrl is null");
        requireNonNull(externalUrl, "externalUrl is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(desiredState, "desiredState is null");
        requireNonNull(kind, "kind is null");
        checkArgument(weight > 0, "weight must be positive");
    }
}
