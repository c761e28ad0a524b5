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
package io.switchboard.gateway.replica;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.LegacyConfig;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.InetAddress;
import java.net.UnknownHostException;

public class ReplicaConfig
{
    private String id = defaultId();

    @NotNull
    @Pattern(regexp = "\\S.{0,199}", message = "must be 1-200 characters, not starting with a space")
    public String getId()
    {
        return id;
    }

    @Config("gateway.id")
    @LegacyConfig("routing.gateway-id")
    @ConfigDescription("Name of this gateway replica in the query history, audit log, health events, notifications and leases (default: host name)")
    public ReplicaConfig setId(String id)
    {
        this.id = id;
        return this;
    }

    private static String defaultId()
    {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "gateway";
        }
    }
}
