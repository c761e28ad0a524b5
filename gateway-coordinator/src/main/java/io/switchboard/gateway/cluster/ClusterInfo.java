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

import io.switchboard.gateway.health.ClusterHealth;
import io.switchboard.store.cluster.DesiredState;

import java.util.Optional;

/**
 * A cluster as the API shows it, with what the gateway's health check knows of it and what its
 * router plugin last reported (drain state and progress).
 */
public record ClusterInfo(
        String name,
        String proxyUrl,
        String externalUrl,
        String routingGroup,
        String kind,
        boolean active,
        int weight,
        DesiredState desiredState,
        boolean acceptingQueries,
        ClusterHealth health,
        Optional<CoordinatorReport> coordinator)
{
    public static ClusterInfo from(Cluster cluster, ClusterHealth health, Optional<CoordinatorReport> coordinator)
    {
        return new ClusterInfo(
                cluster.name(),
                cluster.proxyUri().toString(),
                cluster.externalUri().toString(),
                cluster.routingGroup(),
                cluster.kind().id(),
                cluster.active(),
                cluster.weight(),
                cluster.desiredState(),
                cluster.acceptsNewQueries(),
                health,
                coordinator);
    }
}
