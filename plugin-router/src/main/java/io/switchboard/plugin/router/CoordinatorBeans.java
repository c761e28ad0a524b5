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
package io.switchboard.plugin.router;

import javax.management.JMException;
import javax.management.ObjectName;

import static java.util.Objects.requireNonNull;

/**
 * Where an engine keeps the figures of {@link CoordinatorLoad} in JMX: the names of its beans
 * (checked against running servers), and its version.
 */
public record CoordinatorBeans(String version, ObjectName queryManager, boolean countsBlockedQueries, ObjectName memoryManager, ObjectName nodeManager, ObjectName nodeInfo)
{
    public CoordinatorBeans
    {
        requireNonNull(version, "version is null");
        requireNonNull(queryManager, "queryManager is null");
        requireNonNull(memoryManager, "memoryManager is null");
        requireNonNull(nodeManager, "nodeManager is null");
        requireNonNull(nodeInfo, "nodeInfo is null");
    }

    public static CoordinatorBeans trino(String version)
    {
        return new CoordinatorBeans(
                version,
                objectName("trino.execution:name=QueryManager"),
                true,
                objectName("trino.memory:name=ClusterMemoryManager"),
                objectName("trino.metadata:name=DiscoveryNodeManager"),
                objectName("io.airlift.node:name=NodeInfo"));
    }

    /**
     * PrestoDB's dispatch manager also counts the queries that failed before they were dispatched
     * (its query manager does not); PrestoDB has no count of fully blocked queries in JMX.
     */
    public static CoordinatorBeans prestoDb(String version)
    {
        return new CoordinatorBeans(
                version,
                objectName("com.facebook.presto.dispatcher:name=DispatchManager"),
                false,
                objectName("com.facebook.presto.memory:name=ClusterMemoryManager"),
                objectName("com.facebook.presto.metadata:name=DiscoveryNodeManager"),
                objectName("com.facebook.airlift.node:name=NodeInfo"));
    }

    private static ObjectName objectName(String name)
    {
        try {
            return new ObjectName(name);
        }
        catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
