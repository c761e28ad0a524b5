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

import io.airlift.units.DataSize;
import io.switchboard.gateway.rules.CompiledRuleSet.Outcome;
import io.switchboard.gateway.rules.CompiledRuleSet.RuleResult;
import io.switchboard.gateway.rules.RoutingRule.ConditionLanguage;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestMvelRule
{
    private static final String SOURCE = "request.getHeader(\"X-Trino-Source\")";
    private static final String TAGS = "request.getHeader(\"X-Trino-Client-Tags\")";
    private static final Map<String, String> AIRFLOW = Map.of("X-Trino-Source", "airflow");

    private final RuleCompiler compiler = new RuleCompiler();

    @Test
    void testTranslation()
    {
        assertThat(translate(SOURCE + " == \"airflow\"", "result.put(\"routingGroup\", \"etl\")"))
                .isEqualTo(new MvelRule("((\"x-trino-source\" in headers) && (headers[\"x-trino-source\"] == \"airflow\"))", "\"etl\""));
        assertThat(translate(TAGS + " == null").celCondition()).isEqualTo("!(\"x-trino-client-tags\" in headers)");
        assertThat(translate("trinoQueryProperties.tablesContains(\"Cat.\\\"My\\\\\\\"S.x\\\".T\")").celCondition()).isEqualTo("(\"cat.\\\"my\\\"\\\"s.x\\\".t\" in tables)");
        assertThat(translate("trinoQueryProperties.getSchemas().contains(\"s\")").celCondition()).isEqualTo("schemas.exists(s, s.endsWith(\".s\"))");
        assertThat(translate("trinoQueryProperties.getCatalogSchemas.contains(\"c.s\")").celCondition()).isEqualTo("(\"c.s\" in schemas)");
        assertThat(translate("trinoQueryProperties.getCatalogs() contains \"c\"").celCondition()).isEqualTo("(\"c\" in catalogs)");
        assertThat(translate("trinoQueryProperties.getQueryType().toLowerCase.equals(\"insert\")").celCondition()).isEqualTo("query_type.matches(\"^(?i:insert)$\")");
        assertThat(translate("trinoQueryProperties.getResourceGroupQueryType().equals(\"DATA_DEFINITION\")").celCondition()).isEqualTo("(resource_group_query_type == \"DATA_DEFINITION\")");
        assertThat(translate("trinoQueryProperties.isQueryParsingSuccessful()").celCondition()).isEqualTo("(statement_type != \"UNKNOWN\")");
        // the SQL forms type-check against the facts
        compiler.compile(rule("trinoQueryProperties.getQueryType().toLowerCase.equals(\"query\") && trinoQueryProperties.tablesContains(\"cat.schem.foo\")"));
    }

    @Test
    void testHeaderEquality()
    {
        String condition = SOURCE + " == \"airflow\"";
        assertThat(outcome(condition, AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("request.getHeader(\"x-trino-SOURCE\") == \"airflow\"", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(condition, Map.of("X-Trino-Source", "Airflow"))).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(condition, Map.of())).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome("\"airflow\" == " + SOURCE, AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + " != \"airflow\"", Map.of())).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + " != \"airflow\"", AIRFLOW)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(SOURCE + ".equals(\"airflow\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".equalsIgnoreCase(\"AIRFLOW\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".equals(\"airflow\")", Map.of())).isEqualTo(Outcome.ERROR);
    }

    @Test
    void testNull()
    {
        assertThat(outcome(TAGS + " == null", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(TAGS + " == null", Map.of("X-Trino-Client-Tags", ""))).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(TAGS + " != null", Map.of("X-Trino-Client-Tags", ""))).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("null == " + TAGS, Map.of())).isEqualTo(Outcome.MATCHED);
    }

    @Test
    void testContains()
    {
        Map<String, String> special = Map.of("X-Trino-Client-Tags", "email=test@example.com,label=specialist");
        // the MVEL operator: null-safe substring
        assertThat(outcome(TAGS + " contains \"label=special\"", special)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(TAGS + " contains \"label=special\"", Map.of())).isEqualTo(Outcome.NOT_MATCHED);
        // the Java method: fails on a missing header
        assertThat(outcome(TAGS + ".contains(\"label=special\")", special)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(TAGS + ".contains(\"label=special\")", Map.of())).isEqualTo(Outcome.ERROR);
        // the documented guard short-circuits
        assertThat(outcome(TAGS + " != null && " + TAGS + ".contains(\"label=foo\")", Map.of())).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(TAGS + " != null && " + TAGS + ".contains(\"label=foo\")", Map.of("X-Trino-Client-Tags", "label=foo"))).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("(" + TAGS + " == null || " + TAGS + ".isEmpty())", Map.of("X-Trino-Client-Tags", ""))).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("(" + TAGS + " == null || " + TAGS + ".isEmpty())", Map.of("X-Trino-Client-Tags", "a"))).isEqualTo(Outcome.NOT_MATCHED);
    }

    @Test
    void testStringMethods()
    {
        assertThat(outcome(SOURCE + ".startsWith(\"air\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".endsWith(\"flow\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".endsWith(\"air\")", AIRFLOW)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(SOURCE + ".startsWith(\"air\")", Map.of())).isEqualTo(Outcome.ERROR);
        assertThat(outcome(SOURCE + ".isEmpty()", Map.of("X-Trino-Source", ""))).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".toLowerCase().startsWith(\"air\")", Map.of("X-Trino-Source", "AirFlow"))).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".toLowerCase() == \"airflow\"", Map.of("X-Trino-Source", "AirFlow"))).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".toLowerCase() == \"airflow\"", Map.of())).isEqualTo(Outcome.ERROR);
    }

    @Test
    void testRegularExpressions()
    {
        // Java's matches is a full match
        assertThat(outcome(SOURCE + ".matches(\"air\")", AIRFLOW)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(SOURCE + ".matches(\"air.*|etl\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + ".matches(\"air.*\")", Map.of())).isEqualTo(Outcome.ERROR);
        assertThat(outcome(SOURCE + " ~= \"a[a-z]+\"", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + " ~= \"flow\"", AIRFLOW)).isEqualTo(Outcome.NOT_MATCHED);
        // MVEL matches String.valueOf(null)
        assertThat(outcome(SOURCE + " ~= \"null\"", Map.of())).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + " ~= \"a.*\"", Map.of())).isEqualTo(Outcome.NOT_MATCHED);
    }

    @Test
    void testLogic()
    {
        Map<String, String> both = Map.of("X-Trino-Source", "airflow", "X-Trino-Client-Tags", "label=special");
        assertThat(outcome(SOURCE + " == \"airflow\" && " + TAGS + " contains \"label=special\"", both)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome(SOURCE + " == \"airflow\" && " + TAGS + " contains \"label=special\"", AIRFLOW)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome(SOURCE + " == \"etl\" || " + SOURCE + " == \"airflow\"", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("!(" + SOURCE + " == \"etl\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("!" + SOURCE + ".equals(\"etl\")", AIRFLOW)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("true", Map.of())).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("false || trinoQueryProperties.isNewQuerySubmission()", Map.of())).isEqualTo(Outcome.MATCHED);
        // Java evaluates left to right: an exception on the left is not rescued by the right
        assertThat(outcome("request.getHeader(\"X-Missing\").startsWith(\"x\") || true", Map.of())).isEqualTo(Outcome.ERROR);
        assertThat(outcome("true || request.getHeader(\"X-Missing\").startsWith(\"x\")", Map.of())).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("request.getHeader(\"X-Missing\").startsWith(\"x\") && false", Map.of())).isEqualTo(Outcome.ERROR);
        assertThat(outcome("false && request.getHeader(\"X-Missing\").startsWith(\"x\")", Map.of())).isEqualTo(Outcome.NOT_MATCHED);
    }

    @Test
    void testUserAndDefaults()
    {
        Map<String, String> headers = Map.of("X-Trino-User", "will", "X-Trino-Catalog", "other_catalog");
        assertThat(outcome("trinoRequestUser.userExistsAndEquals(\"will\")", headers)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("trinoRequestUser.userExistsAndEquals(\"will\")", Map.of())).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome("trinoRequestUser.getUser().equals(java.util.Optional.of(\"will\"))", headers)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("trinoQueryProperties.getDefaultCatalog().equals(java.util.Optional.of(\"other_catalog\"))", headers)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("trinoQueryProperties.getDefaultCatalog().equals(Optional.of(\"x\"))", headers)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome("trinoQueryProperties.getDefaultSchema().isPresent()", headers)).isEqualTo(Outcome.NOT_MATCHED);
        assertThat(outcome("trinoQueryProperties.getDefaultSchema().equals(java.util.Optional.empty())", headers)).isEqualTo(Outcome.MATCHED);
        assertThat(outcome("trinoQueryProperties.getBody().contains(\"orders\")", Map.of(), "SELECT * FROM orders")).isEqualTo(Outcome.MATCHED);
    }

    @Test
    void testActions()
    {
        Map<String, String> foo = Map.of("X-Trino-Source", "airflow", "X-Trino-Client-Tags", "label=foo");
        String ifElse = "if (" + TAGS + " contains \"label=foo\") { result.put(\"routingGroup\", \"etl-foo\") } "
                + "else if (" + TAGS + " contains \"label=bar\") { result.put('routingGroup', 'etl-bar'); } "
                + "else { result.put(FileBasedRoutingGroupSelector.RESULTS_ROUTING_GROUP_KEY, \"etl\") }";
        assertThat(group(List.of(ifElse), foo)).contains("etl-foo");
        assertThat(group(List.of(ifElse), Map.of("X-Trino-Client-Tags", "label=bar"))).contains("etl-bar");
        assertThat(group(List.of(ifElse), AIRFLOW)).contains("etl");
        // the last write wins; other keys are ignored, as both gateways ignore them
        assertThat(group(List.of("result.put(\"routingGroup\", \"a\")", "result.put(\"routingGroup\", \"b\"); result.put(\"routingCluster\", \"c\")"), AIRFLOW)).contains("b");
        // an if without else keeps what was written before
        assertThat(group(List.of("result.put(\"routingGroup\", \"a\")", "if (" + TAGS + " == null) { result.put(\"routingGroup\", \"b\") }"), foo)).contains("a");
        assertThat(group(List.of("if (" + TAGS + " != null) { result.put(\"routingGroup\", \"b\") }"), AIRFLOW)).isEmpty();
        assertThat(group(List.of(""), AIRFLOW)).isEmpty();
        assertThat(group(List.of(), AIRFLOW)).isEmpty();
    }

    @Test
    void testRefusals()
    {
        assertRefused("state.get(\"triggeredRules\").contains(\"airflow\")", "trino-gateway's 'state' map is not supported", "line 1, column 1");
        assertRefusedAction("state.put(\"triggeredRules\", new HashSet())", "trino-gateway's 'state' map is not supported");
        assertRefused("System.currentTimeMillis() > 0", "unknown name 'System'");
        assertRefused("java.lang.Runtime.getRuntime().availableProcessors() > 1", "java.lang.Runtime.getRuntime: calls of Java classes are not supported");
        assertRefused("new java.util.HashSet().isEmpty()", "'new' is not supported");
        assertRefused("foreach (x : y) { true }", "'foreach' is not supported");
        assertRefused("x = 1", "unknown name 'x'");
        assertRefused(SOURCE + " = \"airflow\"", "unexpected '='", "column 37");
        assertRefused("trinoQueryProperties.getTables().contains(\"c.s.t\")", "write trinoQueryProperties.tablesContains");
        assertRefused("trinoQueryProperties.getDefaultCatalog() == \"x\"", "write .equals(java.util.Optional.of");
        assertRefused("trinoQueryProperties.getDefaultCatalog().equals(\"x\")", "an Optional never equals a string");
        assertRefused(SOURCE + " == \"a\" or " + SOURCE + " == \"b\"", "MVEL's 'or' operator is not supported");
        assertRefused(SOURCE + " == \"a\" and true", "MVEL's 'and' operator is not supported");
        assertRefused(SOURCE, "this is not true or false");
        assertRefused("result.get(\"routingGroup\") == null", "'result' cannot be read");
        assertRefused(SOURCE + " == 1", "numbers are not supported");
        assertRefused(SOURCE + ".matches(\"(a)\\\\1\")", "RE2 lacks");
        assertRefused(SOURCE + ".matches(\"(?=a)a\")", "RE2 lacks");
        assertRefused(SOURCE + ".matches(\"[a\")", "invalid regular expression");
        assertRefused(SOURCE + ".toLowerCase() == \"Airflow\"", "has upper-case letters");
        assertRefused("trinoQueryProperties.tablesContains(\"orders\")", "tablesContains takes catalog.schema.table");
        assertRefused("request.getMethod() == \"POST\"", "request.getMethod is not supported");
        assertRefused(SOURCE + " instanceof String", "the MVEL operator 'instanceof' is not supported");
        assertRefused(SOURCE + " == \"airflow", "the string does not end");
        assertRefused("(" + SOURCE + " == \"a\"", "')' expected at the end");
        assertRefused("", "the condition is empty");
        assertRefusedAction("result.put(\"routingGroup\", request.getHeader(\"X-Trino-Routing-Group\"))", "both string literals");
        assertRefusedAction("result.put(\"routingGroup\", \"no such group!\")", "is not a routing group name");
        assertRefusedAction("System.exit(1)", "an action can only be result.put");
        assertRefusedAction("result.remove(\"routingGroup\")", "only result.put");
    }

    @Test
    void testMultiLinePosition()
    {
        assertRefused(SOURCE + " == \"airflow\"\n&& state.get(\"x\") != null", "'state' map is not supported", "line 2, column 4: 'state.get");
    }

    private void assertRefused(String condition, String... fragments)
    {
        assertThatThrownBy(() -> compiler.compile(rule(condition)))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageStartingWith("Rule 'r': ")
                .hasMessageContainingAll(fragments);
    }

    private void assertRefusedAction(String action, String fragment)
    {
        assertThatThrownBy(() -> compiler.compile(rule("true", List.of(action))))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageContainingAll("Rule 'r': ", fragment, "action 1");
    }

    private static MvelRule translate(String condition, String... actions)
    {
        return MvelRule.translate(rule(condition, List.of(actions)));
    }

    private Outcome outcome(String condition, Map<String, String> headers)
    {
        return outcome(condition, headers, "");
    }

    private Outcome outcome(String condition, Map<String, String> headers, String sql)
    {
        List<RuleResult> results = new ArrayList<>();
        compiler.compile(new RuleSet(List.of(rule(condition)), Map.of())).explain(facts(headers, sql), results);
        return results.getFirst().outcome();
    }

    private Optional<String> group(List<String> actions, Map<String, String> headers)
    {
        return compiler.compile(new RuleSet(List.of(rule("true", actions)), Map.of())).route(facts(headers, "")).routingGroup();
    }

    private static RuleFacts facts(Map<String, String> headers, String sql)
    {
        return new RuleFacts(RuleInput.of(headers, sql, "127.0.0.1", Instant.EPOCH), new SqlFactsExtractor(DataSize.of(1, DataSize.Unit.MEGABYTE)));
    }

    private static RoutingRule rule(String condition)
    {
        return rule(condition, List.of("result.put(\"routingGroup\", \"hit\")"));
    }

    private static RoutingRule rule(String condition, List<String> actions)
    {
        return new RoutingRule("r", "", 0, condition, ConditionLanguage.MVEL, Optional.empty(), true, List.of(), Map.of(), actions, OptionalInt.empty(), Optional.empty());
    }
}
