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
package io.switchboard.gateway.compat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.switchboard.gateway.cluster.Cluster;
import io.switchboard.gateway.cluster.ClusterSpec;
import io.switchboard.store.cluster.ClusterRecord;

/**
 * A cluster in the JSON shape of lyft/presto-gateway and trinodb/trino-gateway
 * ({@code ProxyBackendConfiguration}), so that operators' existing scripts keep working.
 */
public record ProxyBackend(String name, String proxyTo, Boolean active, String routingGroup, String externalUrl, String kind)
{
    @JsonCreator
    public ProxyBackend(
            @JsonProperty("name") String name,
            @JsonProperty("proxyTo") String proxyTo,
            @JsonProperty("active") Boolean active,
            @JsonProperty("routingGroup") String routingGroup,
            @JsonProperty("externalUrl") String externalUrl,
            @JsonProperty("kind") String kind)
    {
        this.name = name;
        this.proxyTo = proxyTo;
        this.active = active;
        this.routingGroup = routingGroup;
        this.externalUrl = externalUrl;
        this.kind = kind;
    }

    public static ProxyBackend from(Cluster cluster)
    {
        return new ProxyBackend(cluster.name(), cluster.proxyUri().toString(), cluster.active(), cluster.routingGroup(), cluster.externalUri().toString(), cluster.kind().id());
    }

    public static ProxyBackend from(ClusterRecord record)
    {
        return new ProxyBackend(record.name(), record.proxyUrl(), record.active(), record.routingGroup(), record.externalUrl(), record.kind().id());
    }

    public ClusterSpec toSpec()
    {
        return new ClusterSpec(name, proxyTo, externalUrl, routingGroup, active, null, kind);
    }
}
