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

import static java.util.Objects.requireNonNull;

/**
 * A rule of a trino-gateway or presto-gateway rules file, translated to CEL. Only the MVEL forms
 * their documentation shows are translated (see {@link MvelTranslator}); nothing is interpreted
 * as MVEL or Java.
 *
 * @param celCondition the condition: a CEL expression of type bool
 * @param celRoutingGroup the routing group its actions write: a CEL expression of type string,
 * empty when they write none (an action may choose the group by an if statement)
 */
public record MvelRule(String celCondition, String celRoutingGroup)
{
    private static final String NO_GROUP = "\"\"";

    public MvelRule
    {
        requireNonNull(celCondition, "celCondition is null");
        requireNonNull(celRoutingGroup, "celRoutingGroup is null");
    }

    public static MvelRule translate(RoutingRule rule)
    {
        String condition = new MvelTranslator(rule.name(), "the condition", rule.condition()).condition();
        // the actions run in order: each sees the group the earlier ones wrote
        String group = NO_GROUP;
        for (int i = 0; i < rule.actions().size(); i++) {
            group = new MvelTranslator(rule.name(), "action " + (i + 1), rule.actions().get(i)).actions(group);
        }
        return new MvelRule(condition, group.equals(NO_GROUP) ? "" : group);
    }
}
