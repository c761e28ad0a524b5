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

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY;
import static java.util.Objects.requireNonNull;

/**
 * One routing rule as an operator writes it. Rules are evaluated by ascending {@code priority}
 * (then in the order they were added); the first whose condition holds decides, unless it is marked {@code continue}: then
 * its actions apply and evaluation goes on, so a later match overrides its routing group.
 *
 * @param condition a CEL expression over the facts of {@link RuleFacts}, or, for a rule imported
 * from presto-gateway or trino-gateway, their MVEL form (then {@code language} is MVEL and
 * {@code actions} holds their {@code result.put(...)} statements)
 * @param queuePriority the query's priority in the gateway's admission queue (higher first; a
 * query no rule gives one has 0); the first matching rule that sets it decides
 * @param admissionClass the admission class whose limit ({@code admission.class-max-running})
 * the query counts against; the first matching rule that sets it decides
 */
@JsonInclude(NON_EMPTY)
public record RoutingRule(
        String name,
        String description,
        int priority,
        String condition,
        ConditionLanguage language,
        Optional<String> routingGroup,
        @JsonProperty("continue") boolean continueEvaluation,
        List<String> addClientTags,
        Map<String, String> setSessionProperties,
        List<String> actions,
        OptionalInt queuePriority,
        Optional<String> admissionClass)
{
    public enum ConditionLanguage
    {
        CEL,
        MVEL,
    }

    public RoutingRule
    {
        requireNonNull(name, "name is null");
        description = description == null ? "" : description;
        requireNonNull(condition, "condition is null");
        language = language == null ? ConditionLanguage.CEL : language;
        routingGroup = routingGroup == null ? Optional.empty() : routingGroup.filter(group -> !group.isBlank());
        addClientTags = addClientTags == null ? ImmutableList.of() : ImmutableList.copyOf(addClientTags);
        setSessionProperties = setSessionProperties == null ? ImmutableMap.of() : ImmutableMap.copyOf(setSessionProperties);
        actions = actions == null ? ImmutableList.of() : ImmutableList.copyOf(actions);
        queuePriority = queuePriority == null ? OptionalInt.empty() : queuePriority;
        admissionClass = admissionClass == null ? Optional.empty() : admissionClass.filter(value -> !value.isBlank());
    }

    /**
     * Reads a rule as operators write it: {@code priority}, {@code continue} and the actions may be left out.
     */
    @JsonCreator
    public static RoutingRule fromJson(
            @JsonProperty("name") String name,
            @JsonProperty("description") String description,
            @JsonProperty("priority") Integer priority,
            @JsonProperty("condition") String condition,
            @JsonProperty("language") ConditionLanguage language,
            @JsonProperty("routingGroup") Optional<String> routingGroup,
            @JsonProperty("continue") Boolean continueEvaluation,
            @JsonProperty("addClientTags") List<String> addClientTags,
            @JsonProperty("setSessionProperties") Map<String, String> setSessionProperties,
            @JsonProperty("actions") List<String> actions,
            @JsonProperty("queuePriority") Integer queuePriority,
            @JsonProperty("admissionClass") Optional<String> admissionClass)
    {
        return new RoutingRule(
                name,
                description,
                priority == null ? 0 : priority,
                condition,
                language,
                routingGroup,
                Boolean.TRUE.equals(continueEvaluation),
                addClientTags,
                setSessionProperties,
                actions,
                queuePriority == null ? OptionalInt.empty() : OptionalInt.of(queuePriority),
                admissionClass);
    }

    public static RoutingRule routeTo(String name, int priority, String condition, String routingGroup)
    {
        return new RoutingRule(name, "", priority, condition, ConditionLanguage.CEL, Optional.of(routingGroup), false, List.of(), Map.of(), List.of(), OptionalInt.empty(), Optional.empty());
    }
}
