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

// PLACEHOLDER until the MVEL translator lands
/**
 * A rule of a trino-gateway or presto-gateway rules file, translated to CEL.
 *
 * @param celCondition the condition: a CEL expression of type bool
 * @param celRoutingGroup the routing group its actions write: a CEL expression of type string,
 * empty when they write none (an action may choose the group by an if statement)
 */
public record MvelRule(String celCondition, String celRoutingGroup)
{
    public static MvelRule translate(RoutingRule rule)
    {
        throw new InvalidRuleException(rule.name(), "MVEL conditions are not supported yet");
    }
}
