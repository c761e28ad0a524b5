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
package io.switchboard.gateway.rules;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.validation.FileExists;

import java.util.Optional;

public class RulesConfig
{
    private boolean clientGroupAllowed = true;
    private String rulesFile;

    public boolean isClientGroupAllowed()
    {
        return clientGroupAllowed;
    }

    @Config("routing.client-group-allowed")
    @ConfigDescription("Whether a client's X-Trino-Routing-Group header chooses its group (then the rules are not evaluated for it); false: only the rules decide")
    public RulesConfig setClientGroupAllowed(boolean clientGroupAllowed)
    {
        this.clientGroupAllowed = clientGroupAllowed;
        return this;
    }

    public Optional<@FileExists String> getRulesFile()
    {
        return Optional.ofNullable(rulesFile);
    }

    @Config("routing.rules-file")
    @ConfigDescription("A YAML file of routing rules that the gateway watches and loads instead of the rules in MySQL; the API's rule changes are then refused")
    public RulesConfig setRulesFile(String rulesFile)
    {
        this.rulesFile = rulesFile;
        return this;
    }
}
