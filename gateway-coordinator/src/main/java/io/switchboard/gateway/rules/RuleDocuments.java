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

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.switchboard.gateway.rules.RoutingRule.ConditionLanguage;

import java.io.IOException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Reads and writes rule sets: JSON (the API and the {@code routing_rules} table), YAML of the
 * same shape (a rules file), and the YAML rule files of trino-gateway and presto-gateway.
 */
public class RuleDocuments
{
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build()).build();

    private static final List<String> GATEWAY_RULE_KEYS = List.of("name", "description", "priority", "condition", "actions");

    private final ObjectMapper json;

    @Inject
    public RuleDocuments(ObjectMapper json)
    {
        this.json = requireNonNull(json, "json is null");
    }

    public String toJson(RuleSet ruleSet)
    {
        try {
            return json.writeValueAsString(ruleSet);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public RuleSet fromJson(String document)
    {
        try {
            return json.readValue(document, RuleSet.class);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid rule set: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The gateway whose rules file is read: both run every matching rule by ascending priority
     * (the last routing group written wins) but order other rules differently.
     */
    public enum Dialect
    {
        /**
         * A rule without priority has 0; rules of equal priority run in file order.
         */
        TRINO_GATEWAY,
        /**
         * lyft/presto-gateway (easy-rules): a rule without priority has 2147483646; rules of
         * equal priority run by name, and of two with the same name and priority only the first counts.
         */
        PRESTO_GATEWAY,
    }

    public RuleSet fromYaml(String yaml)
    {
        return fromYaml(yaml, Dialect.TRINO_GATEWAY);
    }

    /**
     * A YAML rules file: either this gateway's shape ({@code rules:} and {@code groups:}), or
     * trino-gateway's and presto-gateway's (documents of name, description, priority, condition
     * and actions, separated by {@code ---}).
     */
    public RuleSet fromYaml(String yaml, Dialect dialect)
    {
        List<JsonNode> documents;
        try {
            checkNoTags(yaml);
            documents = YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll().stream()
                    // an empty document, as a trailing "---" makes, is no rule (both gateways fail on it)
                    .filter(node -> !node.isNull() && !node.isMissingNode() && !(node.isTextual() && node.asText().isEmpty()))
                    .toList();
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Invalid YAML: " + e.getMessage(), e);
        }
        if (documents.size() == 1 && documents.getFirst().has("rules")) {
            return convert(documents.getFirst(), RuleSet.class);
        }
        List<RoutingRule> rules = documents.stream().map(node -> gatewayRule(node, dialect)).toList();
        if (dialect == Dialect.PRESTO_GATEWAY) {
            Set<String> seen = new HashSet<>();
            rules = rules.stream()
                    .sorted(Comparator.comparingInt(RoutingRule::priority).thenComparing(RoutingRule::name))
                    .filter(rule -> seen.add(rule.priority() + " " + rule.name()))
                    .toList();
        }
        return new RuleSet(uniqueNames(rules), Map.of());
    }

    /**
     * The rules as a trino-gateway rules file: the conditions of rules imported from one are
     * written as they were; others keep their CEL condition and this gateway's actions.
     */
    public String toGatewayYaml(RuleSet ruleSet)
    {
        StringBuilder yaml = new StringBuilder();
        for (RoutingRule rule : ruleSet.rules()) {
            ObjectNode node = YAML.createObjectNode();
            node.put("name", rule.name());
            if (!rule.description().isEmpty()) {
                node.put("description", rule.description());
            }
            node.put("priority", rule.priority());
            node.put("condition", rule.condition());
            if (rule.language() == ConditionLanguage.MVEL) {
                rule.actions().forEach(node.putArray("actions")::add);
            }
            else {
                ObjectNode fields = json.valueToTree(rule);
                fields.remove(List.of("name", "description", "priority", "condition"));
                node.setAll(fields);
            }
            try {
                yaml.append("---\n").append(YAML.writeValueAsString(node));
            }
            catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return yaml.toString();
    }

    private RoutingRule gatewayRule(JsonNode node, Dialect dialect)
    {
        if (!node.isObject()) {
            throw new IllegalArgumentException("Each document of a trino-gateway rules file is a rule: " + node);
        }
        String name = node.path("name").isTextual() ? node.path("name").asText() : dialect == Dialect.PRESTO_GATEWAY && node.path("name").isMissingNode() ? "rule" : null;
        if (name == null) {
            throw new IllegalArgumentException("Each rule of a trino-gateway rules file has a name: " + node);
        }
        if (node.has("compositeRuleType") || node.has("composingRules")) {
            throw new InvalidRuleException(name, "presto-gateway's composite rules (compositeRuleType, composingRules) are not supported: write one rule per case, ordered by priority");
        }
        if (!node.path("condition").isTextual()) {
            throw new InvalidRuleException(name, "the condition is missing or not a string (quote it: condition: \"true\")");
        }
        if (!node.has("actions")) {
            return convert(node, RoutingRule.class);
        }
        if (dialect == Dialect.TRINO_GATEWAY) {
            // trino-gateway refuses the file, presto-gateway ignores the key
            node.fieldNames().forEachRemaining(key -> {
                if (!GATEWAY_RULE_KEYS.contains(key)) {
                    throw new InvalidRuleException(name, "unknown key '%s': a trino-gateway rule has %s".formatted(key, String.join(", ", GATEWAY_RULE_KEYS)));
                }
            });
        }
        if (!node.path("actions").isArray() || (node.path("actions").isEmpty() && dialect == Dialect.PRESTO_GATEWAY)) {
            throw new InvalidRuleException(name, dialect == Dialect.PRESTO_GATEWAY ? "actions is a non-empty list (presto-gateway refuses the file otherwise)" : "actions is a list");
        }
        ImmutableList.Builder<String> actions = ImmutableList.builder();
        node.path("actions").forEach(action -> actions.add(action.asText()));
        return new RoutingRule(
                name,
                node.path("description").asText(""),
                node.path("priority").asInt(dialect == Dialect.TRINO_GATEWAY ? 0 : Integer.MAX_VALUE - 1),
                node.path("condition").asText(),
                ConditionLanguage.MVEL,
                Optional.empty(),
                // their engines fire every matching rule in order: a later match overrides the group
                true,
                List.of(),
                Map.of(),
                actions.build(),
                OptionalInt.empty(),
                Optional.empty());
    }

    /**
     * Rule names are unique here; trino-gateway runs rules of the same name as different rules
     * (presto-gateway kept only the first of each name and priority): the later ones get a suffix.
     */
    private static List<RoutingRule> uniqueNames(List<RoutingRule> rules)
    {
        Set<String> names = new HashSet<>();
        ImmutableList.Builder<RoutingRule> unique = ImmutableList.builder();
        for (RoutingRule rule : rules) {
            String name = rule.name();
            for (int i = 2; !names.add(name); i++) {
                name = "%s (%s)".formatted(rule.name(), i);
            }
            unique.add(new RoutingRule(name, rule.description(), rule.priority(), rule.condition(), rule.language(), rule.routingGroup(), rule.continueEvaluation(), rule.addClientTags(), rule.setSessionProperties(), rule.actions(),
                    rule.queuePriority(), rule.admissionClass()));
        }
        return unique.build();
    }

    private static void checkNoTags(String yaml)
            throws IOException
    {
        // YAML tags (!!java...) instantiate classes in some YAML libraries: a rules file has none
        try (JsonParser parser = YAML.createParser(yaml)) {
            while (parser.nextToken() != null) {
                Object tag = parser.getTypeId();
                if (tag != null) {
                    throw new IllegalArgumentException("Invalid rules file: YAML tags are not supported: " + tag);
                }
            }
        }
    }

    private <T> T convert(JsonNode node, Class<T> type)
    {
        try {
            return json.treeToValue(node, type);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid rules: " + e.getOriginalMessage(), e);
        }
    }
}
