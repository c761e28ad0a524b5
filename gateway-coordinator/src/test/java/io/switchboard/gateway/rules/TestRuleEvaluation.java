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

import io.airlift.json.ObjectMapperProvider;
import io.airlift.units.DataSize;
import io.switchboard.gateway.rules.sql.SqlFactsExtractor;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestRuleEvaluation
{
    private static final SqlFactsExtractor SQL = new SqlFactsExtractor(DataSize.of(1, DataSize.Unit.MEGABYTE));
    private static final Instant MONDAY_NOON_UTC = Instant.parse("2026-12-07T12:00:00Z");

    private final RuleCompiler compiler = new RuleCompiler();

    @Test
    void factsComeFromTheRequest()
    {
        RuleFacts facts = facts(Map.of(
                "X-Trino-Source", "airflow",
                "X-Trino-Client-Tags", "nightly, batch,,",
                "X-Trino-Client-Info", "dag=orders",
                "X-Trino-Session", "query_max_run_time=2h, join_distribution_type=BROADCAST%2Cx",
                "X-Trino-Catalog", "hive",
                "X-Trino-Schema", "web",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString("bob:secret".getBytes(UTF_8))),
                "INSERT INTO logs SELECT * FROM tpch.tiny.orders");
        assertThat(facts.all())
                .containsEntry("user", "bob")
                .containsEntry("source", "airflow")
                .containsEntry("client_tags", List.of("nightly", "batch"))
                .containsEntry("client_info", "dag=orders")
                .containsEntry("session", Map.of("query_max_run_time", "2h", "join_distribution_type", "BROADCAST,x"))
                .containsEntry("catalog", "hive")
                .containsEntry("schema", "web")
                .containsEntry("client_address", "10.0.0.7")
                .containsEntry("now", MONDAY_NOON_UTC)
                .containsEntry("statement_type", "INSERT")
                .containsEntry("tables_read", List.of("tpch.tiny.orders"))
                .containsEntry("tables_written", List.of("hive.web.logs"))
                .containsEntry("tables", List.of("tpch.tiny.orders", "hive.web.logs"));
        assertThat(facts.value(RuleFacts.Fact.HEADERS)).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("x-trino-source", "airflow");
        assertThat(facts.sqlProblem()).isEmpty();
    }

    @Test
    void userIsTheHeaderElseBasicElseTheUnverifiedSubjectOfABearerToken()
    {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"carol\",\"exp\":1}".getBytes(UTF_8));
        assertThat(facts(Map.of("X-Trino-User", "alice", "Authorization", "Bearer x." + payload + ".sig"), "").all()).containsEntry("user", "alice");
        assertThat(facts(Map.of("Authorization", "Bearer x." + payload + ".sig"), "").all()).containsEntry("user", "carol");
        assertThat(facts(Map.of("X-Presto-User", "dave"), "").all()).containsEntry("user", "dave");
        assertThat(facts(Map.of("Authorization", "Bearer not-a-jwt"), "").all()).containsEntry("user", "");
        assertThat(facts(Map.of(), "").all()).containsEntry("user", "");
    }

    @Test
    void firstMatchDecidesUnlessTheRuleContinues()
    {
        CompiledRuleSet rules = compiler.compile(new RuleSet(List.of(
                rule("late", 30, "true", "adhoc", false),
                RoutingRule.routeTo("airflow", 10, "source == 'airflow'", "etl"),
                new RoutingRule("tag-everything", "", 5, "true", RoutingRule.ConditionLanguage.CEL, Optional.empty(), true, List.of("via-gateway"), Map.of("query_priority", "2"), List.of(), OptionalInt.empty(), Optional.empty()),
                RoutingRule.routeTo("office-hours", 20, "now.getHours('Europe/Berlin') >= 9 && now.getHours('Europe/Berlin') < 18", "interactive")),
                Map.of()));
        RoutingDecision airflow = rules.route(facts(Map.of("X-Trino-Source", "airflow"), ""));
        assertThat(airflow.routingGroup()).contains("etl");
        assertThat(airflow.rule()).contains("airflow");
        assertThat(airflow.addClientTags()).containsExactly("via-gateway");
        assertThat(airflow.setSessionProperties()).containsExactly(Map.entry("query_priority", "2"));
        // 13:00 in Berlin
        assertThat(rules.route(facts(Map.of(), "")).routingGroup()).contains("interactive");

        List<CompiledRuleSet.RuleResult> trace = new ArrayList<>();
        rules.explain(facts(Map.of("X-Trino-Source", "airflow"), ""), trace);
        assertThat(trace).extracting(result -> result.rule() + "=" + result.outcome())
                .containsExactly("tag-everything=MATCHED", "airflow=MATCHED", "office-hours=NOT_EVALUATED", "late=NOT_EVALUATED");
        assertThat(rules.rules().get(1).counters().matches().get()).as("only route() counts").isEqualTo(1);
    }

    @Test
    void theFirstMatchingRuleThatSetsThemDecidesTheQueuePriorityAndTheAdmissionClass()
    {
        CompiledRuleSet rules = compiler.compile(new RuleSet(List.of(
                withAdmission(rule("etl-first", 1, "user == 'etl'", "etl", true), OptionalInt.of(10), Optional.empty()),
                withAdmission(rule("reports", 2, "source == 'reports'", "adhoc", true), OptionalInt.of(-1), Optional.of("reports")),
                withAdmission(rule("everyone", 3, "true", "adhoc", false), OptionalInt.of(0), Optional.of("adhoc-queries")),
                withAdmission(rule("never", 4, "true", "adhoc", false), OptionalInt.of(99), Optional.of("never"))),
                Map.of()));
        RoutingDecision etlReport = rules.route(facts(Map.of("X-Trino-User", "etl", "X-Trino-Source", "reports"), ""));
        assertThat(etlReport.queuePriority()).hasValue(10);
        assertThat(etlReport.admissionClass()).contains("reports");
        // the group: the last match sets it, as always
        assertThat(etlReport.routingGroup()).contains("adhoc");
        assertThat(etlReport.rule()).contains("everyone");

        RoutingDecision other = rules.route(facts(Map.of("X-Trino-User", "alice"), ""));
        assertThat(other.queuePriority()).hasValue(0);
        assertThat(other.admissionClass()).contains("adhoc-queries");

        RoutingDecision none = compiler.compile(new RuleSet(List.of(rule("plain", 1, "true", "adhoc", false)), Map.of())).route(facts(Map.of(), ""));
        assertThat(none.queuePriority()).isEmpty();
        assertThat(none.admissionClass()).isEmpty();

        assertThatThrownBy(() -> compiler.compile(new RuleSet(List.of(withAdmission(rule("bad", 1, "true", "adhoc", false), OptionalInt.empty(), Optional.of("reports:5"))), Map.of())))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageContaining("'reports:5' is not an admission class name");
    }

    private static RoutingRule withAdmission(RoutingRule rule, OptionalInt queuePriority, Optional<String> admissionClass)
    {
        return new RoutingRule(rule.name(), rule.description(), rule.priority(), rule.condition(), rule.language(), rule.routingGroup(), rule.continueEvaluation(),
                rule.addClientTags(), rule.setSessionProperties(), rule.actions(), queuePriority, admissionClass);
    }

    @Test
    void aRuleThatFailsOnAQueryDoesNotMatchItAndIsCounted()
    {
        CompiledRuleSet rules = compiler.compile(new RuleSet(List.of(
                RoutingRule.routeTo("retries", 1, "int(headers['x-retries']) > 2", "etl"),
                RoutingRule.routeTo("by-header", 2, "headers['x-team'] == 'data'", "etl")),
                Map.of()));
        assertThat(rules.route(facts(Map.of("X-Retries", "3"), "")).rule()).contains("retries");
        assertThat(rules.route(facts(Map.of("X-Team", "data"), "")).rule()).contains("by-header");
        assertThat(rules.route(facts(Map.of(), "")).routingGroup()).isEmpty();
        assertThat(rules.rules().get(0).counters().errors().get()).isEqualTo(2);
        // its guard (the header must hold 'data') skips the second rule without running it
        assertThat(rules.rules().get(1).counters().errors().get()).isZero();
        List<CompiledRuleSet.RuleResult> trace = new ArrayList<>();
        rules.explain(facts(Map.of(), ""), trace);
        assertThat(trace).extracting(CompiledRuleSet.RuleResult::outcome).containsOnly(CompiledRuleSet.Outcome.ERROR);
        assertThat(trace.get(1).error()).hasValueSatisfying(message -> assertThat(message).contains("x-team"));
    }

    @Test
    void unparsableSqlRoutesAsUnknown()
    {
        CompiledRuleSet rules = compiler.compile(new RuleSet(List.of(
                RoutingRule.routeTo("unknown", 1, "statement_type == 'UNKNOWN' && tables.size() == 0", "quarantine")),
                Map.of()));
        RuleFacts facts = facts(Map.of(), "SELEC 1");
        assertThat(rules.route(facts).routingGroup()).contains("quarantine");
        assertThat(facts.sqlProblem()).isPresent();
    }

    @Test
    void loopsAreBoundedAndNothingOutsideTheFactsIsReachable()
    {
        assertThatThrownBy(() -> compiler.compile(RoutingRule.routeTo("file", 1, "readFile('/etc/passwd') == ''", "etl")))
                .isInstanceOf(InvalidRuleException.class)
                .hasMessageContaining("Rule 'file'")
                .hasMessageContaining("undeclared reference to 'readFile'");
        CompiledRuleSet rules = compiler.compile(new RuleSet(List.of(
                RoutingRule.routeTo("big", 1, "tables.map(a, tables.map(b, tables.map(c, a + b + c))).size() > 0", "etl")),
                Map.of()));
        String manyTables = "SELECT * FROM " + String.join(", ", IntStream.range(0, 20).mapToObj(i -> "tpch.tiny.t" + i).toList());
        List<CompiledRuleSet.RuleResult> trace = new ArrayList<>();
        rules.explain(facts(Map.of(), manyTables), trace);
        assertThat(trace.getFirst().error()).hasValueSatisfying(message -> assertThat(message).containsIgnoringCase("iteration"));
    }

    @Test
    void ruleSetsRoundTripThroughJson()
    {
        RuleDocuments documents = new RuleDocuments(new ObjectMapperProvider().get());
        RuleSet ruleSet = new RuleSet(
                List.of(RoutingRule.routeTo("airflow", 10, "source == 'airflow'", "etl"),
                        new RoutingRule("tags", "adds a tag", 20, "true", RoutingRule.ConditionLanguage.CEL, Optional.empty(), true, List.of("t"), Map.of("a", "b"), List.of(), OptionalInt.empty(), Optional.empty())),
                Map.of("etl", new GroupPolicy(Optional.of("adhoc"), false), "secure", new GroupPolicy(Optional.empty(), true)));
        assertThat(documents.fromJson(documents.toJson(ruleSet))).isEqualTo(ruleSet);
        assertThat(documents.fromYaml("""
                rules:
                  - name: airflow
                    priority: 10
                    condition: source == 'airflow'
                    routingGroup: etl
                  - name: tags
                    description: adds a tag
                    priority: 20
                    condition: "true"
                    continue: true
                    addClientTags: [t]
                    setSessionProperties: {a: b}
                groups:
                  etl: {fallback: adhoc}
                  secure: {isolated: true}
                """)).isEqualTo(ruleSet);
    }

    private static RoutingRule rule(String name, int priority, String condition, String group, boolean continueEvaluation)
    {
        return new RoutingRule(name, "", priority, condition, RoutingRule.ConditionLanguage.CEL, Optional.of(group), continueEvaluation, List.of(), Map.of(), List.of(), OptionalInt.empty(), Optional.empty());
    }

    private static RuleFacts facts(Map<String, String> headers, String sql)
    {
        return new RuleFacts(RuleInput.of(headers, sql, "10.0.0.7", MONDAY_NOON_UTC), SQL);
    }
}
