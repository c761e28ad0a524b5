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

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * What the rules decided for a query: its routing group and the rule that chose it (none when no
 * rule matched: the default group applies), what the matched rules add to the request, and the
 * query's priority and class in the gateway's admission queue (set by the first matching rule that
 * sets each; no priority is 0, no class counts against no class limit).
 */
public record RoutingDecision(
        Optional<String> routingGroup,
        Optional<String> rule,
        List<String> addClientTags,
        Map<String, String> setSessionProperties,
        OptionalInt queuePriority,
        Optional<String> admissionClass)
{
    public static final RoutingDecision NONE = new RoutingDecision(Optional.empty(), Optional.empty(), List.of(), Map.of(), OptionalInt.empty(), Optional.empty());

    public RoutingDecision
    {
        requireNonNull(routingGroup, "routingGroup is null");
        requireNonNull(rule, "rule is null");
        addClientTags = ImmutableList.copyOf(addClientTags);
        setSessionProperties = ImmutableMap.copyOf(setSessionProperties);
        requireNonNull(queuePriority, "queuePriority is null");
        requireNonNull(admissionClass, "admissionClass is null");
    }

    public boolean changesRequest()
    {
        return !addClientTags.isEmpty() || !setSessionProperties.isEmpty();
    }
}
