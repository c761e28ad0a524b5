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
package io.switchboard.store.plugin;

import org.weakref.jmx.ObjectNameGenerator;

import java.util.Map;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;
import static javax.management.ObjectName.quote;

/**
 * Names a plugin's beans {@code <package>:type=<type>,name="<cluster>"}: several clusters running
 * in one JVM, as in tests, export the same beans without clashing.
 */
final class ClusterObjectNames
        implements ObjectNameGenerator
{
    private final String quotedClusterName;

    ClusterObjectNames(String clusterName)
    {
        this.quotedClusterName = quote(requireNonNull(clusterName, "clusterName is null"));
    }

    @Override
    public String generatedNameOf(Class<?> type)
    {
        return generatedNameOf(type, Map.of("type", type.getSimpleName()));
    }

    @Override
    public String generatedNameOf(Class<?> type, Map<String, String> properties)
    {
        checkArgument(!properties.containsKey("name"), "the name property is the cluster's name");
        String typeProperties = properties.entrySet().stream()
                .map(property -> property.getKey() + "=" + property.getValue() + ",")
                .collect(joining());
        return type.getPackageName() + ":" + typeProperties + "name=" + quotedClusterName;
    }
}
