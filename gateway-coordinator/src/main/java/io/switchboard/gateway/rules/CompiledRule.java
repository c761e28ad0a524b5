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

import dev.cel.runtime.CelRuntime;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * A rule whose condition was type-checked and compiled to a CEL program.
 *
 * @param celCondition the condition as CEL: the rule's own, or translated from MVEL
 * @param guard a test the query must pass before the condition can hold, or the condition itself
 * @param routingGroup the group the rule routes to, or, for a rule imported from MVEL, a program
 * computing it (an empty string: the rule writes no group)
 */
public record CompiledRule(
        RoutingRule rule,
        String celCondition,
        Optional<String> routingGroup,
        Optional<CelRuntime.Program> routingGroupProgram,
        CelRuntime.Program program,
        RuleGuard guard,
        Set<RuleFacts.Fact> facts,
        Counters counters)
{
    public CompiledRule
    {
        requireNonNull(rule, "rule is null");
        requireNonNull(celCondition, "celCondition is null");
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(routingGroupProgram, "routingGroupProgram is null");
        requireNonNull(program, "program is null");
        requireNonNull(guard, "guard is null");
        facts = Set.copyOf(facts);
        requireNonNull(counters, "counters is null");
    }

    public String name()
    {
        return rule.name();
    }

    /**
     * How often a rule matched, and failed, on this gateway since it started; kept across reloads
     * by the rule's name.
     */
    public record Counters(AtomicLong matches, AtomicLong errors)
    {
        public Counters()
        {
            this(new AtomicLong(), new AtomicLong());
        }
    }
}
