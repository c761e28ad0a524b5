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

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Which member cluster a coordinator belongs to, the same {@code switchboard.cluster-name} in the
 * properties of both plugins.
 */
public class MemberClusterConfig
{
    private String clusterName;

    @NotNull
    @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}", message = "must be 1-128 letters, digits, '_', '.' or '-'")
    public String getClusterName()
    {
        return clusterName;
    }

    @Config("switchboard.cluster-name")
    @ConfigDescription("Name of this cluster as the gateway knows it")
    public MemberClusterConfig setClusterName(String clusterName)
    {
        this.clusterName = clusterName;
        return this;
    }
}
