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

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cel.runtime.CelEvaluationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static java.util.Objects.requireNonNull;

/**
 * A rule set ready to route: its rules compiled, in evaluation order.
 */
public record CompiledRuleSet(RuleSet source, List<CompiledRule> rules)
{
    public static final CompiledRuleSet EMPTY = new CompiledRuleSet(RuleSet.EMPTY, List.of());

    public enum Outcome
    {
        MATCHED,
        NOT_MATCHED,
        ERROR,
        NOT_EVALUATED,
    }

    /**
     * What one rule did for a query, for a dry run.
     */
    public record RuleResult(String rule, int priority, Outcome outcome, Optional<String> error) {}

    public CompiledRuleSet
    {
        requireNonNull(source, "source is null");
        rules = ImmutableList.copyOf(rules);
    }

    public Set<RuleFacts.Fact> facts()
    {
        return rules.stream().flatMap(rule -> rule.facts().stream()).collect(toImmutableSet());
    }

    public RoutingDecision route(RuleFacts facts)
    {
        return evaluate(facts, null);
    }

    /**
     * Routes like {@link #route} and reports what every rule did, counting nothing.
     */
    public RoutingDecision explain(RuleFacts facts, List<RuleResult> results)
    {
        return evaluate(facts, requireNonNull(results, "results is null"));
    }

    private RoutingDecision evaluate(RuleFacts facts, List<RuleResult> trace)
    {
        Optional<String> group = Optional.empty();
        Optional<String> decidingRule = Optional.empty();
        List<String> clientTags = new ArrayList<>();
        Map<String, String> session = new LinkedHashMap<>();
        OptionalInt queuePriority = OptionalInt.empty();
        Optional<String> admissionClass = Optional.empty();
        boolean stopped = false;
        for (CompiledRule rule : rules) {
            if (stopped) {
                if (trace != null) {
                    trace.add(new RuleResult(rule.name(), rule.rule().priority(), Outcome.NOT_EVALUATED, Optional.empty()));
                }
                continue;
            }
            if (trace == null && !rule.guard().test().test(facts)) {
                continue;
            }
            Optional<String> error = Optional.empty();
            boolean matched;
            try {
                // a deciding guard that passed is the condition, true: routing skips CEL (the dry run checks it)
                matched = (trace == null && rule.guard().decides()) || Boolean.TRUE.equals(rule.program().eval(facts));
            }
            catch (CelEvaluationException | RuntimeException e) {
                matched = false;
                error = Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                if (trace == null) {
                    rule.counters().errors().incrementAndGet();
                }
            }
            if (trace != null) {
                trace.add(new RuleResult(rule.name(), rule.rule().priority(), error.isPresent() ? Outcome.ERROR : matched ? Outcome.MATCHED : Outcome.NOT_MATCHED, error));
            }
            else if (matched) {
                rule.counters().matches().incrementAndGet();
            }
            if (!matched) {
                continue;
            }
            Optional<String> ruleGroup = routingGroup(rule, facts);
            if (ruleGroup.isPresent()) {
                group = ruleGroup;
                decidingRule = Optional.of(rule.name());
            }
            clientTags.addAll(rule.rule().addClientTags());
            session.putAll(rule.rule().setSessionProperties());
            // unlike the group, which a later match overrides: the first rule that sets them decides
            if (queuePriority.isEmpty()) {
                queuePriority = rule.rule().queuePriority();
            }
            if (admissionClass.isEmpty()) {
                admissionClass = rule.rule().admissionClass();
            }
            stopped = !rule.rule().continueEvaluation();
        }
        return new RoutingDecision(group, decidingRule, clientTags.stream().distinct().toList(), ImmutableMap.copyOf(session), queuePriority, admissionClass);
    }

    private static Optional<String> routingGroup(CompiledRule rule, RuleFacts facts)
    {
        if (rule.routingGroupProgram().isEmpty()) {
            return rule.routingGroup();
        }
        try {
            return Optional.of((String) rule.routingGroupProgram().get().eval(facts)).filter(group -> !group.isEmpty());
        }
        catch (CelEvaluationException | RuntimeException e) {
            // as presto-gateway does: an action that fails writes nothing
            rule.counters().errors().incrementAndGet();
            return Optional.empty();
        }
    }
}
