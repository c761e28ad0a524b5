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

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;

/**
 * Every routing rule of the gateway and the fallback policies of its groups: one version of what
 * {@code routing_rules} stores.
 */
public record RuleSet(List<RoutingRule> rules, Map<String, GroupPolicy> groups)
{
    // a stable sort: rules of equal priority keep their order in the set, as in trino-gateway
    private static final Comparator<RoutingRule> EVALUATION_ORDER = Comparator.comparingInt(RoutingRule::priority);

    // after EVALUATION_ORDER, which its constructor uses
    public static final RuleSet EMPTY = new RuleSet(List.of(), Map.of());

    public RuleSet
    {
        rules = rules == null ? ImmutableList.of() : rules.stream().sorted(EVALUATION_ORDER).collect(toImmutableList());
        groups = groups == null ? ImmutableMap.of() : ImmutableMap.copyOf(groups);
    }

    public Optional<RoutingRule> rule(String name)
    {
        return rules.stream().filter(rule -> rule.name().equals(name)).findFirst();
    }

    public RuleSet withRule(RoutingRule rule)
    {
        return new RuleSet(ImmutableList.<RoutingRule>builder()
                .addAll(rules.stream().filter(existing -> !existing.name().equals(rule.name())).toList())
                .add(rule)
                .build(), groups);
    }

    public RuleSet withoutRule(String name)
    {
        return new RuleSet(rules.stream().filter(rule -> !rule.name().equals(name)).toList(), groups);
    }

    public RuleSet withGroup(String group, GroupPolicy policy)
    {
        Map<String, GroupPolicy> changed = new LinkedHashMap<>(groups);
        changed.put(group, policy);
        return new RuleSet(rules, changed);
    }

    public RuleSet withoutGroup(String group)
    {
        Map<String, GroupPolicy> changed = new LinkedHashMap<>(groups);
        changed.remove(group);
        return new RuleSet(rules, changed);
    }
}
