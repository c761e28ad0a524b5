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

import com.google.common.io.Resources;
import io.airlift.json.ObjectMapperProvider;
import io.airlift.units.DataSize;
import io.switchboard.gateway.rules.RuleDocuments.Dialect;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.switchboard.gateway.rules.RuleDocuments.Dialect.PRESTO_GATEWAY;
import static io.switchboard.gateway.rules.RuleDocuments.Dialect.TRINO_GATEWAY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rule files of trino-gateway's and presto-gateway's documentation, routed for the requests
 * of gateway-rules research (R0-R6) in both gateways' orders; "adhoc" is the default group (no
 * rule wrote one).
 */
final class TestGatewayRuleFiles
{
    private static final String SOURCE = "X-Trino-Source";
    private static final String TAGS = "X-Trino-Client-Tags";
    static final Map<String, String> R0 = Map.of();
    static final Map<String, String> R1 = Map.of(SOURCE, "airflow");
    static final Map<String, String> R2 = Map.of(SOURCE, "airflow", TAGS, "email=test@example.com,label=special");
    static final Map<String, String> R3 = Map.of(TAGS, "email=test@example.com,label=special");
    static final Map<String, String> R4 = Map.of(SOURCE, "airflow", TAGS, "label=foo");
    static final Map<String, String> R5 = Map.of(SOURCE, "airflow", TAGS, "label=bar");
    static final Map<String, String> R6 = Map.of(SOURCE, "airflow", TAGS, "");

    private final RuleDocuments documents = new RuleDocuments(new ObjectMapperProvider().get());
    private final RuleCompiler compiler = new RuleCompiler();

    @Test
    void testBasicRules()
    {
        for (String file : new String[] {"trino-gateway-t1.yaml", "presto-gateway-l1.yaml"}) {
            for (Dialect dialect : Dialect.values()) {
                CompiledRuleSet rules = load(file, dialect);
                assertRoutes(rules, "adhoc", "etl", "etl-special", "adhoc", "etl", "etl", "etl");
            }
        }
    }

    @Test
    void testSwappedRules()
    {
        // trino-gateway runs equal priorities in file order ("if you swap the order of the rules, then you get etl"); presto-gateway by name
        CompiledRuleSet trinoGateway = load("trino-gateway-t1-swapped.yaml", TRINO_GATEWAY);
        CompiledRuleSet prestoGateway = load("trino-gateway-t1-swapped.yaml", PRESTO_GATEWAY);
        assertThat(route(trinoGateway, R2)).isEqualTo("etl");
        assertThat(route(prestoGateway, R2)).isEqualTo("etl-special");
        assertThat(route(trinoGateway, R1)).isEqualTo("etl");
        assertThat(route(prestoGateway, R1)).isEqualTo("etl");
    }

    @Test
    void testAtomicRules()
    {
        // the doc's fragment ends in an empty document, which both gateways fail to load: it is ignored here
        for (Dialect dialect : Dialect.values()) {
            CompiledRuleSet rules = load("trino-gateway-t3.yaml", dialect);
            assertRoutes(rules, "adhoc", "etl", "etl-special", "adhoc", "adhoc", "adhoc", "adhoc");
        }
    }

    @Test
    void testPriorities()
    {
        for (String file : new String[] {"trino-gateway-t4.yaml", "presto-gateway-l4.yaml"}) {
            for (Dialect dialect : Dialect.values()) {
                CompiledRuleSet rules = load(file, dialect);
                assertRoutes(rules, "adhoc", "etl", "etl-special", "adhoc", "etl");
            }
        }
    }

    @Test
    void testIfStatements()
    {
        for (Dialect dialect : Dialect.values()) {
            CompiledRuleSet rules = load("trino-gateway-t6.yaml", dialect);
            assertRoutes(rules, "adhoc", "etl", "etl", "adhoc", "etl-foo", "etl-bar", "etl");
        }
    }

    @Test
    void testRefusedFiles()
    {
        for (Dialect dialect : Dialect.values()) {
            assertThatThrownBy(() -> load("trino-gateway-t5.yaml", dialect))
                    .isInstanceOf(InvalidRuleException.class)
                    .hasMessageContainingAll("Rule 'initialize state'", "trino-gateway's 'state' map is not supported", "action 1");
            assertThatThrownBy(() -> load("presto-gateway-l5.yaml", dialect))
                    .isInstanceOf(InvalidRuleException.class)
                    .hasMessageContainingAll("Rule 'airflow rule group'", "composite rules (compositeRuleType, composingRules) are not supported");
            assertThatThrownBy(() -> load("presto-gateway-l7.yaml", dialect))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid YAML");
            assertThatThrownBy(() -> loadYaml("--- !!java.net.URL [\"http://example.com\"]\n", dialect))
                    .hasMessageContaining("YAML tags are not supported");
            assertThatThrownBy(() -> loadYaml("name: a\ncondition: 'request.getHeader(\"X-Trino-Source\")'\nactions: ['result.put(\"routingGroup\", \"etl\")']\n", dialect))
                    .hasMessageContainingAll("Rule 'a'", "this is not true or false");
        }
    }

    @Test
    void testDefaultPriority()
    {
        // D1: trino-gateway's default priority is 0, presto-gateway's 2147483646
        String yaml = """
                ---
                name: generic
                condition: 'request.getHeader("X-Trino-Source") == "airflow"'
                actions: ['result.put("routingGroup", "etl")']
                ---
                name: specific
                priority: 5
                condition: 'request.getHeader("X-Trino-Source") == "airflow"'
                actions: ['result.put("routingGroup", "etl-special")']
                """;
        assertThat(route(loadYaml(yaml, TRINO_GATEWAY), R1)).isEqualTo("etl-special");
        assertThat(route(loadYaml(yaml, PRESTO_GATEWAY), R1)).isEqualTo("etl");
    }

    @Test
    void testEqualPriorities()
    {
        // D2: file order against name order
        String yaml = """
                ---
                name: zeta
                condition: "true"
                actions: ['result.put("routingGroup", "zeta-group")']
                ---
                name: alpha
                condition: "true"
                actions: ['result.put("routingGroup", "alpha-group")']
                """;
        assertThat(route(loadYaml(yaml, TRINO_GATEWAY), R0)).isEqualTo("alpha-group");
        assertThat(route(loadYaml(yaml, PRESTO_GATEWAY), R0)).isEqualTo("zeta-group");
    }

    @Test
    void testSameNames()
    {
        // D3: trino-gateway runs both, presto-gateway keeps the first of a name and priority
        String yaml = """
                ---
                name: same
                condition: "true"
                actions: ['result.put("routingGroup", "first")']
                ---
                name: same
                condition: "true"
                actions: ['result.put("routingGroup", "second")']
                """;
        assertThat(route(loadYaml(yaml, TRINO_GATEWAY), R0)).isEqualTo("second");
        assertThat(loadYaml(yaml, TRINO_GATEWAY).rules()).extracting(CompiledRule::name).containsExactly("same", "same (2)");
        assertThat(route(loadYaml(yaml, PRESTO_GATEWAY), R0)).isEqualTo("first");
    }

    @Test
    void testCatchAllAndMaximumPriority()
    {
        // D10, D11
        String yaml = """
                ---
                name: max
                priority: 2147483647
                condition: "true"
                actions: ['result.put("routingGroup", "max-group")']
                ---
                name: unspecified
                condition: "true"
                actions: ['result.put("routingGroup", "unspecified-group")']
                ---
                name: catch-all
                priority: -1
                condition: "true"
                actions: ['result.put("routingGroup", "no-match")']
                """;
        for (Dialect dialect : Dialect.values()) {
            assertThat(route(loadYaml(yaml, dialect), R0)).isEqualTo("max-group");
        }
    }

    @Test
    void testFileFormats()
    {
        // D8: an unknown key fails trino-gateway's load and is ignored by presto-gateway
        String unknownKey = """
                name: airflow
                enabled: true
                condition: 'request.getHeader("X-Trino-Source") == "airflow"'
                actions: ['result.put("routingGroup", "etl")']
                """;
        assertThatThrownBy(() -> loadYaml(unknownKey, TRINO_GATEWAY))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageContainingAll("Rule 'airflow'", "unknown key 'enabled'");
        assertThat(route(loadYaml(unknownKey, PRESTO_GATEWAY), R1)).isEqualTo("etl");

        // D12: trino-gateway accepts no actions, presto-gateway refuses the file
        String noActions = """
                name: nothing
                condition: "true"
                actions: []
                """;
        assertThat(route(loadYaml(noActions, TRINO_GATEWAY), R1)).isEqualTo("adhoc");
        assertThatThrownBy(() -> loadYaml(noActions, PRESTO_GATEWAY))
                .hasMessageContainingAll("Rule 'nothing'", "actions is a non-empty list");

        // D14: presto-gateway names a rule without a name "rule"
        String noName = """
                condition: "true"
                actions: ['result.put("routingGroup", "etl")']
                """;
        assertThatThrownBy(() -> loadYaml(noName, TRINO_GATEWAY)).hasMessageContaining("has a name");
        assertThat(loadYaml(noName, PRESTO_GATEWAY).rules()).extracting(CompiledRule::name).containsExactly("rule");

        // an unquoted condition: true is not a string
        assertThatThrownBy(() -> loadYaml("name: t\ncondition: true\nactions: []\n", TRINO_GATEWAY))
                .hasMessageContainingAll("Rule 't'", "not a string");
    }

    /**
     * The groups of requests R0, R1, ... in order.
     */
    private static void assertRoutes(CompiledRuleSet rules, String... groups)
    {
        List<Map<String, String>> requests = List.of(R0, R1, R2, R3, R4, R5, R6);
        for (int i = 0; i < groups.length; i++) {
            assertThat(route(rules, requests.get(i))).as("R" + i).isEqualTo(groups[i]);
        }
    }

    private CompiledRuleSet load(String file, Dialect dialect)
    {
        try {
            return loadYaml(Resources.toString(Resources.getResource(getClass(), file), UTF_8), dialect);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CompiledRuleSet loadYaml(String yaml, Dialect dialect)
    {
        return compiler.compile(documents.fromYaml(yaml, dialect));
    }

    static String route(CompiledRuleSet rules, Map<String, String> headers)
    {
        return route(rules, headers, "");
    }

    static String route(CompiledRuleSet rules, Map<String, String> headers, String sql)
    {
        return rules.route(new RuleFacts(RuleInput.of(headers, sql, "127.0.0.1", Instant.EPOCH), new SqlFactsExtractor(DataSize.of(1, DataSize.Unit.MEGABYTE)))).routingGroup().orElse("adhoc");
    }
}
