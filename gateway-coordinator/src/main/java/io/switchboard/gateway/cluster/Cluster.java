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

import io.switchboard.store.cluster.ClusterKind;
import io.switchboard.store.cluster.ClusterRecord;
import io.switchboard.store.cluster.DesiredState;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * A member cluster as the gateway routes to it.
 */
public record Cluster(
        String name,
        URI proxyUri,
        URI externalUri,
        String routingGroup,
        boolean active,
        DesiredState desiredState,
        int weight,
        ClusterKind kind)
{
    public Cluster
    {
        requireNonNull(name, "name is null");
        requireNonNull(proxyUri, "proxyUri is null");
        requireNonNull(externalUri, "externalUri is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(desiredState, "desiredState is null");
        requireNonNull(kind, "kind is null");
    }

    public static Cluster fromRecord(ClusterRecord record)
    {
        return new Cluster(
                record.name(),
                URI.create(record.proxyUrl()),
                URI.create(record.externalUrl()),
                record.routingGroup(),
                record.active(),
                record.desiredState(),
                record.weight(),
                record.kind());
    }

    /**
     * Whether the gateway may place new queries on this cluster; requests of queries already
     * running there are forwarded whatever this says.
     */
    public boolean acceptsNewQueries()
    {
        return active && desiredState == DesiredState.ACTIVE;
    }
}
