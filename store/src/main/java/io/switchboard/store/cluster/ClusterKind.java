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

import static java.util.Locale.ENGLISH;

/**
 * The engine a cluster runs, in {@code clusters.kind}: it decides the client protocol the
 * cluster speaks and how the gateway keeps a query's requests on it.
 */
public enum ClusterKind
{
    /**
     * Trino: {@code X-Trino-*} headers; it builds its URIs with the gateway's {@code X-Forwarded-Prefix}.
     */
    TRINO,
    /**
     * PrestoDB: {@code X-Presto-*} headers; it ignores {@code X-Forwarded-Prefix}, so the gateway
     * routes a query's later requests by its query id.
     */
    PRESTODB;

    /**
     * The name in the API and the configuration: {@code trino}, {@code prestodb}.
     */
    public String id()
    {
        return name().toLowerCase(ENGLISH);
    }

    /**
     * @throws IllegalArgumentException for a name that is no kind
     */
    public static ClusterKind fromId(String id)
    {
        for (ClusterKind kind : values()) {
            if (kind.id().equals(id.toLowerCase(ENGLISH))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("kind must be 'trino' or 'prestodb', was '" + id + "'");
    }
}
