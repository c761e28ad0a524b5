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
package io.switchboard.gateway.admission;

import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.store.cluster.ClusterKind;

import java.util.Optional;
import java.util.Set;

/**
 * How admission picks a cluster of a group: the routing's own selection, told which clusters
 * are at capacity.
 */
public interface ClusterChoice
{
    /**
     * A cluster of the group that speaks the client's protocol, for a new query, none of the excluded ones.
     */
    Optional<Cluster> select(String group, ClusterKind protocol, Set<String> excluded);

    /**
     * Whether the group has any cluster that accepts new queries, full or not.
     */
    boolean hasClusters(String group);
}
